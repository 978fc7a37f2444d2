package chformat

import "github.com/zeptodb/zeptodb/internal/model"

// appendTSV writes the TabSeparated family: values joined by tabs, every
// row ending in a newline, NULL as \N.
func appendTSV(dst []byte, f Format, cols []Column, rows int) []byte {
	raw := f == TabSeparatedRaw
	if f == TabSeparatedWithNames || f == TabSeparatedWithNamesAndTypes {
		for i, c := range cols {
			dst = appendSep(dst, i, '\t')
			dst = appendTSVString(dst, c.Name)
		}
		dst = append(dst, '\n')
	}
	if f == TabSeparatedWithNamesAndTypes {
		for i, c := range cols {
			dst = appendSep(dst, i, '\t')
			dst = appendTSVString(dst, TypeName(c.Type))
		}
		dst = append(dst, '\n')
	}
	for row := 0; row < rows; row++ {
		for i, c := range cols {
			dst = appendSep(dst, i, '\t')
			if c.Data.IsNull(row) {
				dst = append(dst, `\N`...)
				continue
			}
			var ok bool
			if dst, ok = appendPlain(dst, c.Data, row); ok {
				continue
			}
			if raw {
				dst = append(dst, c.Data.String[row]...)
			} else {
				dst = appendTSVString(dst, c.Data.String[row])
			}
		}
		dst = append(dst, '\n')
	}
	return dst
}

func appendSep(dst []byte, i int, sep byte) []byte {
	if i > 0 {
		return append(dst, sep)
	}
	return dst
}

// appendTSVString escapes what would break a TabSeparated line.
func appendTSVString(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			dst = append(dst, '\\', '\\')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		case 0:
			dst = append(dst, '\\', '0')
		case '\'':
			dst = append(dst, '\\', '\'')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// appendCSV writes the CSV family: text and times in double quotes,
// numbers and booleans bare, NULL as \N.
func appendCSV(dst []byte, f Format, cols []Column, rows int) []byte {
	if f == CSVWithNames || f == CSVWithNamesAndTypes {
		for i, c := range cols {
			dst = appendSep(dst, i, ',')
			dst = appendCSVString(dst, c.Name)
		}
		dst = append(dst, '\n')
	}
	if f == CSVWithNamesAndTypes {
		for i, c := range cols {
			dst = appendSep(dst, i, ',')
			dst = appendCSVString(dst, TypeName(c.Type))
		}
		dst = append(dst, '\n')
	}
	for row := 0; row < rows; row++ {
		for i, c := range cols {
			dst = appendSep(dst, i, ',')
			switch {
			case c.Data.IsNull(row):
				dst = append(dst, `\N`...)
			case c.Data.Type == model.TypeTimestamp:
				dst = append(dst, '"')
				dst = appendDateTime64(dst, c.Data.Int64[row])
				dst = append(dst, '"')
			default:
				var ok bool
				if dst, ok = appendPlain(dst, c.Data, row); !ok {
					dst = appendCSVString(dst, c.Data.String[row])
				}
			}
		}
		dst = append(dst, '\n')
	}
	return dst
}

func appendCSVString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, s[i])
	}
	return append(dst, '"')
}
