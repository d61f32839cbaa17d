package io.flhetero.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A run directory's rounds.csv read back, its cells found by column name, so that files of older runs (fewer
 * columns) read the same way: a missing column or an empty cell reads as absent.
 */
public final class RoundsCsv {

    /** One row: a client in a round. */
    public static final class Row {
        private final List<String> header;
        private final String[] cells;

        private Row(List<String> header, String[] cells) {
            this.header = header;
            this.cells = cells;
        }

        public String text(String column) {
            int i = header.indexOf(column);
            return i < 0 || i >= cells.length ? "" : cells[i];
        }

        /** The number in the column; NaN when absent. */
        public double number(String column) {
            String cell = text(column);
            return cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
        }

        /** The number in the column; {@code absent} when there is none. */
        public double number(String column, double absent) {
            String cell = text(column);
            return cell.isEmpty() ? absent : Double.parseDouble(cell);
        }

        public int integer(String column) {
            String cell = text(column);
            return cell.isEmpty() ? 0 : Integer.parseInt(cell);
        }

        public int round() {
            return integer("round");
        }

        /** Whether the row has every column of its header: a row a crash cut short has not. */
        public boolean complete() {
            return cells.length == header.size();
        }
    }

    private RoundsCsv() {
    }

    public static List<Row> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<String> header = Arrays.asList(lines.get(0).split(","));
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            rows.add(new Row(header, line.split(",", -1)));
        }
        return rows;
    }
}
