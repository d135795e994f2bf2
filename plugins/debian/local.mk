# debian backend: being written
