// Package deploycheck holds the checks of what ZeptoDB ships for
// Kubernetes: the Helm chart rendered with every values combination the
// operations guide uses, decoded strictly into the real Kubernetes types,
// and the rendered pod started as the real binary. It is a module of its
// own so that Helm and the Kubernetes API types stay out of the server's
// dependencies.
package deploycheck
