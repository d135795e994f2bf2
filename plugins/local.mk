# Our own backends: each is a module built exactly like a third party's.
include plugins/common/local.mk
include plugins/debian/local.mk
include plugins/rhel/local.mk
include plugins/amazon/local.mk
include plugins/fedora/local.mk
