package dev.ravine.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.app.ExitCode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run trained on an images: folder; predict names each predicted class after its sub-folder. */
class ImageFolderRunTest {
    @TempDir
    Path dir;

    @Test
    void trainsOnPngFoldersAndPredictsClassNames() throws Exception {
        // "dark" images have a dark left half, "light" ones a dark right half: a linear model separates them.
        java.util.Random random = new java.util.Random(3);
        for (String name : List.of("dark", "light")) {
            Files.createDirectories(dir.resolve("photos").resolve(name));
            for (int i = 0; i < 20; i++) {
                BufferedImage image = new BufferedImage(6, 6, BufferedImage.TYPE_BYTE_GRAY);
                for (int y = 0; y < 6; y++) {
                    for (int x = 0; x < 6; x++) {
                        boolean darkSide = name.equals("dark") == x < 3;
                        image.getRaster().setSample(x, y, 0, (darkSide ? 30 : 220) + random.nextInt(20));
                    }
                }
                ImageIO.write(image, "png", dir.resolve("photos").resolve(name).resolve(i + ".png").toFile());
            }
        }
        Path config = dir.resolve("photos.yaml");
        Files.writeString(config, """
                seed: 2
                data:
                  train: images:photos
                  validation_split: 0.25
                  normalize: scale01
                model:
                  input: [1, 6, 6]
                  layers:
                    - flatten
                    - linear: {out: 2}
                loss: cross_entropy
                optimizer: {name: adam, lr: 0.05}
                training: {epochs: 10, batch_size: 10}
                """);
        Path run = dir.resolve("run");
        CommandResult train = CommandResult.run("train", config.toString(), "--out", run.toString());
        assertEquals(ExitCode.OK, train.exitCode(), train::toString);

        Path out = dir.resolve("predictions.csv");
        CommandResult predict = CommandResult.run("predict", run.toString(), "--data", "images:" + dir.resolve("photos"), "--out", out.toString());
        assertEquals(ExitCode.OK, predict.exitCode(), predict::toString);
        List<String> lines = Files.readAllLines(out);
        assertEquals("sample,class,label,class_name,p0,p1", lines.getFirst());
        long right = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            assertEquals(f[1].equals("0") ? "dark" : "light", f[3], "class 0 is the first folder by name: " + line);
            if (f[1].equals(f[2])) right++;
        }
        assertEquals(40, lines.size() - 1);
        assertTrue(right >= 38, "the halves separate the classes: " + right + "/40");
    }
}
