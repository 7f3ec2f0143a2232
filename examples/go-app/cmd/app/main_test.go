package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

func get(t *testing.T, url string) (int, map[string]string) {
	t.Helper()
	rec := httptest.NewRecorder()
	routes().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, url, nil))
	var body map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("%s: body is not JSON: %q", url, rec.Body.String())
	}
	return rec.Code, body
}

func TestRoutes(t *testing.T) {
	if code, body := get(t, "/health"); code != 200 || body["status"] != "ok" {
		t.Fatalf("/health: %d %v", code, body)
	}
	if code, body := get(t, "/greet?name=Ada"); code != 200 || body["greeting"] != "hello, Ada" {
		t.Fatalf("/greet: %d %v", code, body)
	}
	if code, _ := get(t, "/greet?name=%20"); code != 400 {
		t.Fatalf("/greet with an empty name: %d", code)
	}
}
