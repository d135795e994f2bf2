# SPDX-License-Identifier: Apache-2.0
# The SDK for third-party backends: conformance suite, backend man page,
# the out-of-tree example backend, bash completion.
