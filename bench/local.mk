# SPDX-License-Identifier: Apache-2.0
# make bench: the benchmark of every mode
