module example.com/expect

go 1.22
