package org.myoflow.model.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.model.phantom.PhantomCase;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;

class CasePanelsTest {

    @Test
    void drawsFourColumnsWithTheMasksInColour(@TempDir Path dir) throws Exception {
        PhantomCase c = SpectPhantom.generate("r", 5, PhantomOptions.normal());
        double[] ctr = c.myocardium().centroidVoxel();
        Path png = dir.resolve("case.png");
        CasePanels.write(png, "test", c.image(), List.of(new CasePanels.Panel("truth", c.myocardium()),
                new CasePanels.Panel("raw", c.myocardium()), new CasePanels.Panel("post", c.cavity())),
                new int[] {(int) ctr[0], (int) ctr[1], (int) ctr[2]});
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(800, img.getWidth());
        int greenish = 0, grey = 0;
        for (int y = 30; y < img.getHeight() - 30; y++) {
            for (int x = 200; x < 400; x++) { // the ground-truth column
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
                if (g > r + 40 && g > b + 40) {
                    greenish++;
                }
            }
            for (int x = 0; x < 200; x++) {
                int rgb = img.getRGB(x, y);
                if (((rgb >> 16) & 255) != (rgb & 255)) {
                    grey = -1_000_000; // the image column must stay grey
                }
            }
        }
        assertTrue(greenish > 500, "myocardium drawn in the truth column: " + greenish);
        assertTrue(grey == 0, "image column is greyscale");
    }
}
