package org.myoflow.model.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.myoflow.model.training.EpochStats;

/** Training loss and validation Dice per epoch, one PNG. */
public final class TrainingCurve {
    private TrainingCurve() {
    }

    public static void write(Path png, String title, List<EpochStats> epochs) throws IOException {
        int w = 720, h = 400, left = 60, right = 60, top = 40, bottom = 50;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, left, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawRect(left, top, w - left - right, h - top - bottom);
        double maxLoss = 1e-9;
        for (EpochStats e : epochs) {
            maxLoss = Math.max(maxLoss, e.trainLoss());
        }
        int n = Math.max(2, epochs.size());
        for (int i = 0; i <= 4; i++) {
            int y = top + (h - top - bottom) * i / 4;
            g.setColor(new Color(230, 230, 230));
            g.drawLine(left + 1, y, w - right - 1, y);
            g.setColor(new Color(200, 60, 40));
            g.drawString(String.format("%.2f", maxLoss * (4 - i) / 4), 8, y + 4);
            g.setColor(new Color(30, 90, 200));
            g.drawString(String.format("%.2f", (4 - i) / 4.0), w - right + 6, y + 4);
        }
        g.setColor(Color.BLACK);
        g.drawString("epoch", w / 2 - 15, h - 14);
        g.drawString("1", left, h - bottom + 14);
        g.drawString(String.valueOf(epochs.size()), w - right - 10, h - bottom + 14);
        g.setStroke(new BasicStroke(2f));
        plot(g, epochs, n, left, top, w - left - right, h - top - bottom, true, maxLoss, new Color(200, 60, 40));
        plot(g, epochs, n, left, top, w - left - right, h - top - bottom, false, 1, new Color(30, 90, 200));
        g.setColor(new Color(200, 60, 40));
        g.drawString("training loss", left + 10, top + 16);
        g.setColor(new Color(30, 90, 200));
        g.drawString("validation Dice", left + 10, top + 30);
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(img, "png", png.toFile());
    }

    private static void plot(Graphics2D g, List<EpochStats> epochs, int n, int x0, int y0, int pw, int ph,
                             boolean loss, double max, Color c) {
        g.setColor(c);
        int px = -1, py = -1;
        for (int i = 0; i < epochs.size(); i++) {
            double v = loss ? epochs.get(i).trainLoss() : epochs.get(i).validationDice();
            int x = x0 + (int) Math.round((double) i / (n - 1) * pw);
            int y = y0 + ph - (int) Math.round(Math.max(0, Math.min(1, v / max)) * ph);
            if (px >= 0) {
                g.drawLine(px, py, x, y);
            }
            g.fillOval(x - 3, y - 3, 6, 6);
            px = x;
            py = y;
        }
    }
}
