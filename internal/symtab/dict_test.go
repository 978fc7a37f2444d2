package symtab

import (
	"sync"
	"testing"
)

func TestInternIsFirstSeenOrder(t *testing.T) {
	d := New()
	got := d.InternAll(nil, []string{"B", "B", "A", "C", "A"})
	want := []uint32{0, 0, 1, 2, 1}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("ids = %v, want %v", got, want)
		}
	}
	if d.String(1) != "A" || d.Len() != 3 {
		t.Fatalf("String(1) = %q, Len = %d", d.String(1), d.Len())
	}
	if _, ok := d.Lookup("Z"); ok {
		t.Fatal("Lookup of unknown symbol succeeded")
	}
}

func TestInternConcurrent(t *testing.T) {
	d := New()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				d.Intern(string(rune('a' + i%26)))
			}
		}()
	}
	wg.Wait()
	if d.Len() != 26 {
		t.Fatalf("Len = %d, want 26", d.Len())
	}
}
