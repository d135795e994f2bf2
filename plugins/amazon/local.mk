# amazon backend: being written
