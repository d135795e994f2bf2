# SPDX-License-Identifier: Apache-2.0
# hostile input corpus through every mode
