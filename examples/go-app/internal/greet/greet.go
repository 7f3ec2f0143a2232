// Package greet holds the service's one piece of logic, kept apart from HTTP so it is
// tested on its own.
package greet

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// ErrEmpty is returned for a name with nothing but spaces.
var ErrEmpty = errors.New("name is empty")

// MaxName bounds a name so one request cannot make the reply arbitrarily large.
const MaxName = 64

// Greeting says hello to name, trimmed.
func Greeting(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", ErrEmpty
	}
	if utf8.RuneCountInString(name) > MaxName {
		return "", errors.New("name is longer than 64 characters")
	}
	return "hello, " + name, nil
}
