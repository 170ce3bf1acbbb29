package dev.backendrouter.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Left-aligned columns, two spaces apart; a cell's style is applied after padding, so escapes never skew widths. */
final class Table {
    private final String[] headers;
    private final List<Cell[]> rows = new ArrayList<>();

    record Cell(String text, UnaryOperator<String> style) {
        static Cell plain(String text) {
            return new Cell(text, UnaryOperator.identity());
        }
    }

    Table(String... headers) {
        this.headers = headers;
    }

    Table row(Cell... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException("expected " + headers.length + " cells, got " + cells.length);
        }
        rows.add(cells);
        return this;
    }

    Table row(String... texts) {
        Cell[] cells = new Cell[texts.length];
        for (int i = 0; i < texts.length; i++) {
            cells[i] = Cell.plain(texts[i]);
        }
        return row(cells);
    }

    void print(PrintStream out, Style style, String indent) {
        int[] widths = new int[headers.length];
        Cell[] header = new Cell[headers.length];
        for (int i = 0; i < headers.length; i++) {
            header[i] = new Cell(headers[i], style::bold);
            widths[i] = headers[i].length();
            for (Cell[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].text().length());
            }
        }
        out.println(line(header, widths, indent));
        for (Cell[] row : rows) {
            out.println(line(row, widths, indent));
        }
    }

    private static String line(Cell[] cells, int[] widths, String indent) {
        StringBuilder line = new StringBuilder(indent);
        for (int i = 0; i < cells.length; i++) {
            String text = cells[i].text();
            line.append(cells[i].style().apply(text));
            if (i < cells.length - 1) {
                line.append(" ".repeat(widths[i] - text.length() + 2));
            }
        }
        // an empty last column would leave trailing spaces
        return line.toString().stripTrailing();
    }
}
