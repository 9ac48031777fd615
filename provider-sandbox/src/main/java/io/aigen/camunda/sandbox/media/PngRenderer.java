package io.aigen.camunda.sandbox.media;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Draws a cheap placeholder image: the prompt on a background whose colour comes from the prompt's hash. */
final class PngRenderer {

  private static final Logger LOG = LoggerFactory.getLogger(PngRenderer.class);

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private static volatile boolean textFailed;

  private PngRenderer() {}

  static byte[] render(MediaFiles.ImageSpec spec) {
    BufferedImage image = new BufferedImage(spec.width(), spec.height(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      float hue = (spec.text().hashCode() & 0xFFFF) / 65_536f + spec.variant() * 0.09f;
      g.setColor(Color.getHSBColor(hue, 0.45f, 0.9f));
      g.fillRect(0, 0, spec.width(), spec.height());
      g.setColor(Color.getHSBColor(hue, 0.6f, 0.65f));
      g.fillRect(0, spec.height() * 3 / 4, spec.width(), spec.height() - spec.height() * 3 / 4);
      if (!textFailed) {
        drawTextSafely(g, spec);
      }
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void drawTextSafely(Graphics2D g, MediaFiles.ImageSpec spec) {
    try {
      drawText(g, spec);
    } catch (RuntimeException | LinkageError | InternalError e) {
      // The JDK's font stack fails like this on hosts without fontconfig or fonts; a plain
      // coloured image still serves tests, so draw no text from now on.
      textFailed = true;
      LOG.warn("Cannot draw text into sandbox images, serving them without: {}", e.toString());
    }
  }

  private static void drawText(Graphics2D g, MediaFiles.ImageSpec spec) {
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    int size = Math.max(10, Math.min(spec.width(), spec.height()) / 16);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size));
    g.setColor(Color.BLACK);
    FontMetrics metrics = g.getFontMetrics();
    int margin = size;
    String text = spec.text().isBlank() ? "(empty prompt)" : spec.text();
    int maxLines = Math.max(1, (spec.height() * 3 / 4 - 2 * margin) / metrics.getHeight());
    int y = margin + metrics.getAscent();
    for (String line : wrap(text, metrics, spec.width() - 2 * margin, maxLines)) {
      g.drawString(line, margin, y);
      y += metrics.getHeight();
    }
    g.setColor(Color.WHITE);
    g.drawString(
        spec.width() + "x" + spec.height() + " #" + spec.variant(),
        margin, spec.height() - margin);
  }

  private static List<String> wrap(String text, FontMetrics metrics, int width, int maxLines) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split("\\s+")) {
      String candidate = line.isEmpty() ? word : line + " " + word;
      if (metrics.stringWidth(candidate) <= width || line.isEmpty()) {
        line.setLength(0);
        line.append(candidate);
      } else {
        lines.add(line.toString());
        line.setLength(0);
        line.append(word);
      }
      if (lines.size() == maxLines) {
        return lines;
      }
    }
    if (!line.isEmpty()) {
      lines.add(line.toString());
    }
    return lines;
  }
}
