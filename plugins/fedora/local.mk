# fedora backend: being written
