package org.graft.benchmarks.harness;

import java.io.File;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Turns a JMH JSON result of {@code CallOverheadBenchmark} (and {@code GateFloorBenchmark}) into the
 * side-by-side tables of BENCHMARKS.md: per method and thread count, every variant's ns/op and
 * Graft's ratios to the direct call and to the other two proxies, all from the same run.
 *
 * <pre>java -cp 'benchmarks/target/classes:benchmarks/target/harness-lib/*' \
 *     org.graft.benchmarks.harness.JmhRatioReport result.json</pre>
 */
public final class JmhRatioReport {
    private static final Pattern CALL_OVERHEAD = Pattern.compile(".*CallOverheadBenchmark\\.(\\w+)_(\\d+)t_(\\w+)");
    private static final String[] VARIANTS = {"direct", "graft", "graftCounted", "jdkProxy", "aries"};

    private JmhRatioReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: JmhRatioReport <jmh-result.json>");
        }
        JsonNode results = new ObjectMapper().readTree(new File(args[0]));
        Map<String, Map<String, double[]>> rows = new LinkedHashMap<>();
        Map<String, double[]> floor = new LinkedHashMap<>();
        for (JsonNode result : results) {
            String name = result.get("benchmark").asText();
            JsonNode metric = result.get("primaryMetric");
            double[] score = {metric.get("score").asDouble(), metric.get("scoreError").asDouble()};
            Matcher m = CALL_OVERHEAD.matcher(name);
            if (m.matches()) {
                rows.computeIfAbsent(m.group(1) + ", " + m.group(2), k -> new LinkedHashMap<>()).put(m.group(3), score);
            } else {
                floor.put(name.substring(name.lastIndexOf('.') + 1), score);
            }
        }
        if (!rows.isEmpty()) {
            System.out.println("| method, threads | direct | graft | graftCounted | jdkProxy | aries | graft / direct | graft - direct"
                    + " | graftCounted / direct | graft / jdkProxy | graft / aries |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
            for (Map.Entry<String, Map<String, double[]>> row : rows.entrySet()) {
                StringBuilder line = new StringBuilder("| ").append(row.getKey());
                Map<String, double[]> v = row.getValue();
                for (String variant : VARIANTS) {
                    double[] s = v.get(variant);
                    line.append(" | ").append(s == null ? "-" : String.format("%.3f ± %.3f", s[0], s[1]));
                }
                line.append(" | ").append(ratio(v, "graft", "direct"));
                line.append(" | ").append(v.containsKey("graft") && v.containsKey("direct")
                        ? String.format("%+.2f ns", v.get("graft")[0] - v.get("direct")[0]) : "-");
                line.append(" | ").append(ratio(v, "graftCounted", "direct"));
                line.append(" | ").append(ratio(v, "graft", "jdkProxy"));
                line.append(" | ").append(ratio(v, "graft", "aries")).append(" |");
                System.out.println(line);
            }
        }
        if (!floor.isEmpty()) {
            System.out.println();
            System.out.println("| gate floor | ns/op |");
            System.out.println("|---|---|");
            floor.forEach((name, s) -> System.out.printf("| %s | %.3f ± %.3f |%n", name, s[0], s[1]));
        }
    }

    private static String ratio(Map<String, double[]> v, String a, String b) {
        double[] x = v.get(a);
        double[] y = v.get(b);
        return x == null || y == null ? "-" : String.format("%.2fx", x[0] / y[0]);
    }
}
