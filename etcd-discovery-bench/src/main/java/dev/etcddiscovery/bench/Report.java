package dev.etcddiscovery.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The results of one run as Markdown: sections with tables and notes, printed as they are completed so a long run
 * shows progress.
 */
final class Report {

    private final StringBuilder text = new StringBuilder();

    void section(String title) {
        append("\n## " + title + "\n");
    }

    void note(String line) {
        append(line + "\n");
    }

    Table table(String... headers) {
        return new Table(headers);
    }

    /** The row of a latency series: samples, p50, p99, max (ms); dashes when it has none. */
    static String[] latencyRow(String name, Samples samples) {
        if (samples.size() == 0) {
            return new String[] { name, "0", "—", "—", "—" };
        }
        return new String[] { name, String.valueOf(samples.size()), Samples.ms(samples.percentile(50)),
                Samples.ms(samples.percentile(99)), Samples.ms(samples.max()) };
    }

    static String[] latencyHeaders(String first) {
        return new String[] { first, "samples", "p50 ms", "p99 ms", "max ms" };
    }

    String text() {
        return this.text.toString();
    }

    private void append(String chunk) {
        this.text.append(chunk);
        System.out.print(chunk);
        System.out.flush();
    }

    /** A Markdown table, appended to the report by {@link #end()}. */
    final class Table {

        private final String[] headers;

        private final List<String[]> rows = new ArrayList<>();

        private Table(String[] headers) {
            this.headers = headers;
        }

        Table row(String... cells) {
            this.rows.add(cells);
            return this;
        }

        void end() {
            StringBuilder table = new StringBuilder("\n| ").append(String.join(" | ", this.headers)).append(" |\n|");
            table.append("---|".repeat(this.headers.length)).append('\n');
            this.rows.forEach((row) -> table.append("| ").append(String.join(" | ", row)).append(" |\n"));
            append(table.append('\n').toString());
        }
    }
}
