module example.com/greeter

go 1.19

require (
	example.com/greeting v0.0.0
	example.org/colors v1.2.3
)

replace example.com/greeting => ../greeting
