# SPDX-License-Identifier: Apache-2.0
# libFuzzer harnesses (make fuzz) and the valgrind/static-analysis targets
