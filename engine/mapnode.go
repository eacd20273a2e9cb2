package engine

import "go.yaml.in/yaml/v4"

// MapKey returns the key node of key in the mapping m, or nil when m is
// nil, is not a mapping, or has no such key. Errors about a key itself,
// such as one that does not go with another, are placed at it.
func MapKey(m *yaml.Node, key string) *yaml.Node {
	if i := mapIndex(m, key); i >= 0 {
		return m.Content[i]
	}
	return nil
}

// MapValue returns the value node of key in the mapping m, or nil when m
// is nil, is not a mapping, or has no such key.
func MapValue(m *yaml.Node, key string) *yaml.Node {
	if i := mapIndex(m, key); i >= 0 {
		return m.Content[i+1]
	}
	return nil
}

// mapIndex returns the index in m.Content of the key node of key, or -1.
func mapIndex(m *yaml.Node, key string) int {
	if m == nil || m.Kind != yaml.MappingNode {
		return -1
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return i
		}
	}
	return -1
}

// Clash looks for keys that exclude each other in the mapping m. It
// returns how many of keys m has, and when there are two or more, the
// first two in the order of keys and the key node of the second, where an
// error about the clash belongs.
func Clash(m *yaml.Node, keys ...string) (n int, first, second string, at *yaml.Node) {
	for _, k := range keys {
		key := MapKey(m, k)
		if key == nil {
			continue
		}
		switch n++; n {
		case 1:
			first = k
		case 2:
			second, at = k, key
		}
	}
	return n, first, second, at
}
