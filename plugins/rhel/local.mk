# rhel backend: being written
