module example.com/off

go 1.26.0
