/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unitstate.h"

#ifdef HAVE_SD_BUS
#include <dlfcn.h>
#include <systemd/sd-bus.h>

/* The few sd-bus calls we use, looked up in libsystemd.so.0 at run time:
 * linking it would make every start pay for its relocations. */
struct sdbus {
	int (*open_system)(sd_bus **);
	int (*path_encode)(const char *, const char *, char **);
	int (*get_property_string)(sd_bus *, const char *, const char *,
	                           const char *, const char *, sd_bus_error *,
	                           char **);
	void (*error_free)(sd_bus_error *);
	sd_bus *(*flush_close_unref)(sd_bus *);
};

static void *open_lib(struct sdbus *f)
{
	void *lib = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);

	if (!lib)
		return NULL;
	*(void **)&f->open_system = dlsym(lib, "sd_bus_open_system");
	*(void **)&f->path_encode = dlsym(lib, "sd_bus_path_encode");
	*(void **)&f->get_property_string = dlsym(lib, "sd_bus_get_property_string");
	*(void **)&f->error_free = dlsym(lib, "sd_bus_error_free");
	*(void **)&f->flush_close_unref = dlsym(lib, "sd_bus_flush_close_unref");
	if (!f->open_system || !f->path_encode || !f->get_property_string ||
	    !f->error_free || !f->flush_close_unref) {
		dlclose(lib);
		return NULL;
	}
	return lib;
}

int unitstate_get(const char *unit, char **ret_state)
{
	sd_bus_error error = SD_BUS_ERROR_NULL;
	struct sdbus f;
	sd_bus *bus = NULL;
	char *path = NULL, *state = NULL;
	void *lib;
	int r;

	if (!unit || !ret_state)
		return -EINVAL;
	lib = open_lib(&f);
	if (!lib)
		return -ENOTSUP;
	r = f.open_system(&bus);
	if (r < 0) {
		/* no system bus: not a running systemd */
		r = -ENOTSUP;
		goto out;
	}
	r = f.path_encode("/org/freedesktop/systemd1/unit", unit, &path);
	if (r < 0)
		goto out;
	/* systemd answers "inactive" for a unit it has not loaded, as
	 * `systemctl is-active` does */
	r = f.get_property_string(bus, "org.freedesktop.systemd1", path,
	                          "org.freedesktop.systemd1.Unit", "ActiveState",
	                          &error, &state);
	if (r >= 0) {
		*ret_state = state;
		r = 0;
	}
out:
	f.error_free(&error);
	free(path);
	if (bus)
		f.flush_close_unref(bus);
	/* libsystemd stays loaded: it may have registered thread-exit
	 * destructors, and we exit soon anyway */
	return r;
}

bool unitstate_available(void)
{
	return access("/run/systemd/system/", F_OK) == 0;
}

#else

bool unitstate_available(void)
{
	return false;
}

int unitstate_get(const char *unit, char **ret_state)
{
	(void)unit;
	(void)ret_state;
	return -ENOTSUP;
}

#endif
