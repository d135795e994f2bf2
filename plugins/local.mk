# Our own backends: each is a module built exactly like a third party's.
include plugins/common/local.mk
include plugins/debian/local.mk
include plugins/rhel/local.mk
include plugins/amazon/local.mk
include plugins/fedora/local.mk

# The build tree mirrors an installed package: the program finds its
# backends in "backends/" beside itself, so it runs from the build tree as
# it does from a copied Skyhook package.
all-local: build-tree-backends
build-tree-backends: $(backend_LTLIBRARIES)
	$(AM_V_GEN)$(MKDIR_P) backends && \
	for la in $(backend_LTLIBRARIES); do \
	  so=`dirname $$la`/.libs/`basename $$la .la`.so; \
	  base=`basename $$so`; \
	  cmp -s $$so backends/$$base && continue; \
	  cp -f $$so backends/.$$base.tmp && chmod 0644 backends/.$$base.tmp && \
	    mv -f backends/.$$base.tmp backends/$$base || exit 1; \
	done
clean-local: clean-build-tree-backends
clean-build-tree-backends:
	-rm -rf backends
.PHONY: build-tree-backends clean-build-tree-backends
