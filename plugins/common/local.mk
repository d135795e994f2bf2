# common backend: being written
