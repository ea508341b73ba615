package importsonly // want package:"reaches etcd"

import _ "example.com/fixture/store"

func Add(a, b int) int { return a + b }
