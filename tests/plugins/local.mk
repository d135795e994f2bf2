# mock backends: being written
