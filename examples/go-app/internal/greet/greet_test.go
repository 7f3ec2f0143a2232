package greet

import (
	"strings"
	"testing"
)

func TestGreeting(t *testing.T) {
	got, err := Greeting("  Ada ")
	if err != nil || got != "hello, Ada" {
		t.Fatalf("Greeting(Ada) = %q, %v", got, err)
	}
	if _, err := Greeting("   "); err != ErrEmpty {
		t.Fatalf("empty name: %v", err)
	}
	if _, err := Greeting(strings.Repeat("é", MaxName+1)); err == nil {
		t.Fatal("a name over the limit is accepted")
	}
}
