package main

import (
	"fmt"

	"example.com/greeting"
	"example.org/colors"
)

func main() {
	fmt.Println(colors.Paint(greeting.Hello("image")))
}
