package io.flhetero.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run directory's rounds.csv read back, its cells found by column name, so that files of older runs (fewer
 * columns) read the same way: a missing column or an empty cell reads as absent. A last row without its line end
 * was cut short by a crash and is left out.
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

    }

    private RoundsCsv() {
    }

    /** The rows of each round (asynchronously: model version), in the order the file has them. */
    public static Map<Integer, List<Row>> byRound(Path file) throws IOException {
        Map<Integer, List<Row>> rounds = new LinkedHashMap<>();
        for (Row row : read(file)) {
            rounds.computeIfAbsent(row.round(), r -> new ArrayList<>()).add(row);
        }
        return rounds;
    }

    public static List<Row> read(Path file) throws IOException {
        String text = Files.readString(file);
        List<String> lines = text.lines().toList();
        if (lines.isEmpty()) {
            return List.of(); // created, but a crash came before its header was written
        }
        List<String> header = Arrays.asList(lines.get(0).split(","));
        int end = text.endsWith("\n") ? lines.size() : lines.size() - 1;
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, Math.max(1, end))) {
            rows.add(new Row(header, line.split(",", -1)));
        }
        return rows;
    }
}
