package io.neurograph.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A self-contained HTML page (inline SVG, no scripts) with the latency and fan-out charts of one run. */
final class Chart {

  private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"};

  private Chart() {}

  @SuppressWarnings("unchecked")
  static String html(Map<String, Object> result) {
    StringBuilder page = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
        + "<title>NeuroGraph bench</title><style>body{font-family:sans-serif;margin:24px}"
        + "svg{margin:8px 16px 8px 0}</style></head><body><h1>NeuroGraph benchmark</h1>");
    Map<String, Object> machine = (Map<String, Object>) result.get("machine");
    if (machine != null) {
      page.append("<p>").append(escape(String.valueOf(machine))).append("</p>");
    }
    List<Map<String, Object>> rates = (List<Map<String, Object>>) result.get("roundtrip_by_rate");
    if (rates != null && !rates.isEmpty()) {
      Map<String, List<Double>> series = new LinkedHashMap<>();
      for (String key : List.of("p50_ms", "p99_ms", "p999_ms")) {
        series.put("round trip " + key.replace("_ms", ""), values(rates, key));
      }
      Map<String, Double> references = new LinkedHashMap<>();
      Map<String, Object> floor = (Map<String, Object>) result.get("floor");
      if (floor != null) {
        references.put("floor p50", number(floor.get("p50_ms")));
        references.put("floor p99", number(floor.get("p99_ms")));
      }
      page.append(svg("Command round trip (token.create) vs rate", "commands/s", "ms",
          labels(rates, "rate"), series, references));
    }
    List<Map<String, Object>> fanout = (List<Map<String, Object>>) result.get("fanout_by_subscribers");
    if (fanout != null && !fanout.isEmpty()) {
      List<String> x = labels(fanout, "subscribers");
      page.append(svg("Fan-out: delivered messages/s vs subscribers", "subscribers", "messages/s", x,
          Map.of("delivered/s", values(fanout, "delivered_per_s"), "delivered/s per gateway core",
              values(fanout, "delivered_per_s_per_core")), Map.of()));
      Map<String, List<Double>> age = new LinkedHashMap<>();
      age.put("age p50", values(fanout, "age_p50_ms"));
      age.put("age p99", values(fanout, "age_p99_ms"));
      page.append(svg("Fan-out: event age at delivery vs subscribers", "subscribers", "ms", x, age,
          Map.of("target p99 (1,000 subscribers)", 50.0)));
    }
    page.append("<h2>Result</h2><pre>").append(escape(Json.write(result))).append("</pre></body></html>\n");
    return page.toString();
  }

  private static String svg(String title, String xLabel, String yLabel, List<String> x,
      Map<String, List<Double>> series, Map<String, Double> references) {
    int width = 560;
    int height = 340;
    int left = 70;
    int right = 20;
    int top = 40;
    int bottom = 90;
    double max = 0;
    for (List<Double> values : series.values()) {
      for (Double v : values) {
        max = v == null ? max : Math.max(max, v);
      }
    }
    for (Double v : references.values()) {
      max = v == null ? max : Math.max(max, v);
    }
    max = niceCeiling(max);
    double plotW = width - left - right;
    double plotH = height - top - bottom;
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-size=\"12\">", width, height));
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>",
        left, escape(title)));
    for (int i = 0; i <= 4; i++) {
      double y = top + plotH - plotH * i / 4;
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>",
          left, width - right, y, y));
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", left - 6, y + 4,
          format(max * i / 4)));
    }
    double step = x.size() > 1 ? plotW / (x.size() - 1) : 0;
    double offset = x.size() > 1 ? 0 : plotW / 2;
    for (int i = 0; i < x.size(); i++) {
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>",
          left + offset + i * step, top + plotH + 16, escape(x.get(i))));
    }
    s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>",
        left + plotW / 2, top + plotH + 34, escape(xLabel)));
    s.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%.1f\" transform=\"rotate(-90 14 %.1f)\" "
        + "text-anchor=\"middle\">%s</text>", top + plotH / 2, top + plotH / 2, escape(yLabel)));
    int colour = 0;
    int legend = 0;
    for (Map.Entry<String, List<Double>> entry : series.entrySet()) {
      String c = COLOURS[colour++ % COLOURS.length];
      List<String> points = new ArrayList<>();
      for (int i = 0; i < entry.getValue().size(); i++) {
        Double v = entry.getValue().get(i);
        if (v == null) {
          continue;
        }
        double px = left + offset + i * step;
        double py = top + plotH - (max == 0 ? 0 : plotH * v / max);
        points.add(String.format(Locale.ROOT, "%.1f,%.1f", px, py));
        s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s</title>"
            + "</circle>", px, py, c, format(v)));
      }
      s.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>",
          c, String.join(" ", points)));
      legend = legend(s, legend, c, entry.getKey(), false, height);
    }
    for (Map.Entry<String, Double> reference : references.entrySet()) {
      if (reference.getValue() == null) {
        continue;
      }
      String c = COLOURS[colour++ % COLOURS.length];
      double py = top + plotH - (max == 0 ? 0 : plotH * reference.getValue() / max);
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
          + "stroke-dasharray=\"6 4\"/>", left, width - right, py, py, c));
      legend = legend(s, legend, c, reference.getKey() + " " + format(reference.getValue()), true, height);
    }
    return s.append("</svg>").toString();
  }

  private static int legend(StringBuilder s, int index, String colour, String name, boolean dashed, int height) {
    int x = 70 + (index % 2) * 240;
    int y = height - 36 + (index / 2) * 16;
    s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" "
        + "stroke-width=\"2\"%s/>", x, x + 20, y - 4, y - 4, colour, dashed ? " stroke-dasharray=\"6 4\"" : ""));
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>", x + 26, y, escape(name)));
    return index + 1;
  }

  private static List<String> labels(List<Map<String, Object>> rows, String key) {
    return rows.stream().map(r -> String.valueOf(r.get(key))).toList();
  }

  private static List<Double> values(List<Map<String, Object>> rows, String key) {
    return rows.stream().map(r -> number(r.get(key))).toList();
  }

  private static Double number(Object value) {
    return value instanceof Number n ? n.doubleValue() : null;
  }

  private static double niceCeiling(double value) {
    if (value <= 0) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
    for (double f : new double[] {1, 2, 2.5, 5, 10}) {
      if (f * magnitude >= value) {
        return f * magnitude;
      }
    }
    return 10 * magnitude;
  }

  private static String format(double v) {
    return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
