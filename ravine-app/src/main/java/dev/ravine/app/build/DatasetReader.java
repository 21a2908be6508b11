package dev.ravine.app.build;

import dev.ravine.app.config.DataSource;
import dev.ravine.data.AddingProblem;
import dev.ravine.data.CifarReader;
import dev.ravine.data.CsvReader;
import dev.ravine.data.Dataset;
import dev.ravine.data.IdxReader;
import dev.ravine.data.ImageFolderReader;

/** Reads a {@link DataSource} with the core's readers (which report missing and malformed files). */
public final class DatasetReader {
    private DatasetReader() {}

    /**
     * @param label      the label column of a csv source
     * @param regression read a csv label column as regression targets even when its values are whole numbers
     */
    public static Dataset read(DataSource source, String label, boolean regression) {
        return switch (source.format()) {
            case IDX -> IdxReader.read(source.path());
            case CSV -> regression ? CsvReader.readRegression(source.path(), label) : CsvReader.read(source.path(), label);
            case ADDING -> AddingProblem.generate(source.generator().samples(), source.generator().length(), source.generator().seed());
            case SYNTHETIC -> source.synthetic().generate();
            case IMAGES -> source.imageSize() == null ? ImageFolderReader.read(source.path())
                    : ImageFolderReader.read(source.path(), source.imageSize().height(), source.imageSize().width());
            case CIFAR -> CifarReader.read(source.path());
        };
    }
}
