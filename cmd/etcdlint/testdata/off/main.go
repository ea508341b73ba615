// Command off imports a package of its own and nothing else, so that the
// command's fact stages run on few packages.
package main

import "example.com/off/dep"

func main() { dep.Count(3) }
