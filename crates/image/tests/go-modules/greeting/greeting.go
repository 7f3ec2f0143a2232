// Package greeting is a local module, reached through a replace directive.
package greeting

func Hello(name string) string { return "hello, " + name }
