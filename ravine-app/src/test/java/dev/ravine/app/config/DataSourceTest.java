package dev.ravine.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ravine.app.build.DatasetReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DataSourceTest {
    private static final Path BASE = Path.of("/tmp/configs");

    @Test
    void filesResolveAgainstTheConfigFolder() {
        DataSource s = DataSource.parse("idx:data/train", BASE);
        assertEquals(DataSource.Format.IDX, s.format());
        assertEquals(Path.of("/tmp/configs/data/train"), s.path());
        assertNull(s.generator());
    }

    @Test
    void theAddingProblemIsGeneratedFromItsParameters() {
        DataSource s = DataSource.parse("adding:length=20,samples=300,seed=9", BASE);
        assertEquals(DataSource.Format.ADDING, s.format());
        assertEquals(new DataSource.AddingSpec(20, 300, 9), s.generator());
        assertEquals("adding:length=20,samples=300,seed=9", s.toString());
        assertEquals(new DataSource.AddingSpec(50, 10_000, 1), DataSource.parse("adding:", BASE).generator(), "defaults");
        var data = DatasetReader.read(s, null, true);
        assertEquals(300, data.size());
        assertEquals(java.util.List.of(20, 2), java.util.Arrays.stream(data.sampleShape()).boxed().toList());
    }

    @Test
    void badAddingParametersSayWhatIsValid() {
        var e = assertThrows(IllegalArgumentException.class, () -> DataSource.parse("adding:lenght=20", BASE));
        assertTrue(e.getMessage().contains("valid: length, samples, seed"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> DataSource.parse("adding:length=ten", BASE));
        assertTrue(e2.getMessage().contains("length must be an integer"), e2.getMessage());
    }

    @Test
    void imageFoldersTakeAnOptionalSizeAndCifarAPath() {
        DataSource plain = DataSource.parse("images:photos/train", BASE);
        assertEquals(DataSource.Format.IMAGES, plain.format());
        assertEquals(Path.of("/tmp/configs/photos/train"), plain.path());
        assertNull(plain.imageSize());
        DataSource sized = DataSource.parse("images:photos/train?size=64x48", BASE);
        assertEquals(new DataSource.ImageSize(64, 48), sized.imageSize());
        assertEquals(Path.of("/tmp/configs/photos/train"), sized.path());
        assertEquals("images:/tmp/configs/photos/train?size=64x48", sized.toString());
        var e = assertThrows(IllegalArgumentException.class, () -> DataSource.parse("images:p?size=64", BASE));
        assertTrue(e.getMessage().contains("HEIGHTxWIDTH"), e.getMessage());
        DataSource cifar = DataSource.parse("cifar:cifar-10-batches-bin/test_batch.bin", BASE);
        assertEquals(DataSource.Format.CIFAR, cifar.format());
        assertEquals(Path.of("/tmp/configs/cifar-10-batches-bin/test_batch.bin"), cifar.path());
    }
}
