module example.org/colors

go 1.19
