// Command go-template renders External Secrets Operator style templates (template engine v2) with the
// real Go text/template engine and sprig, so the Java tests can check a template's output byte for byte.
//
// Usage: go-template TEMPLATES.json DATA.json
//
// TEMPLATES.json is a JSON object of key -> template text (an ExternalSecret's target.template.data),
// DATA.json a JSON object of key -> string value (the secret data the templates see as ".").
// Prints a JSON object of key -> rendered text on stdout. On the first template that fails to parse or
// execute it prints the error on stderr and exits with status 1; bad arguments or input exit with 2.
//
// As ESO's v2 engine does: every template is parsed on its own, named after its key, with
// Option("missingkey=error"), sprig's TxtFuncMap without "env", "expandenv" and "getHostByName", and
// executed with the data as a map[string]string. ESO's own extra functions (pkcs12*, filterPEM, jwk*,
// toYaml, fromYaml, rsaDecrypt) are not provided: a template using them fails here, loudly.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"text/template"
	"unicode/utf8"

	"github.com/Masterminds/sprig"
)

func functions() template.FuncMap {
	funcs := sprig.TxtFuncMap()
	for _, name := range []string{"env", "expandenv", "getHostByName"} {
		delete(funcs, name)
	}
	return funcs
}

func readObject(path string) (map[string]string, error) {
	content, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var object map[string]string
	if err := json.Unmarshal(content, &object); err != nil {
		return nil, fmt.Errorf("%s: expected a JSON object of strings: %w", path, err)
	}
	if object == nil {
		return nil, fmt.Errorf("%s: expected a JSON object of strings, got null", path)
	}
	return object, nil
}

func render(templates, data map[string]string) (map[string]string, error) {
	keys := make([]string, 0, len(templates))
	for key := range templates {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	funcs := functions()
	rendered := make(map[string]string, len(templates))
	for _, key := range keys {
		parsed, err := template.New(key).Option("missingkey=error").Funcs(funcs).Parse(templates[key])
		if err != nil {
			return nil, fmt.Errorf("template %q does not parse: %w", key, err)
		}
		var out bytes.Buffer
		if err := parsed.Execute(&out, data); err != nil {
			return nil, fmt.Errorf("template %q fails: %w", key, err)
		}
		// JSON strings carry only valid UTF-8; anything else would come back altered, not as rendered.
		if !utf8.Valid(out.Bytes()) {
			return nil, fmt.Errorf("template %q renders bytes that are not valid UTF-8", key)
		}
		rendered[key] = out.String()
	}
	return rendered, nil
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: go-template TEMPLATES.json DATA.json")
		os.Exit(2)
	}
	templates, err := readObject(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	data, err := readObject(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	rendered, err := render(templates, data)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	encoder := json.NewEncoder(os.Stdout)
	encoder.SetEscapeHTML(false)
	if err := encoder.Encode(rendered); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
