package org.metagan.run;

import java.nio.file.Path;
import java.util.List;
import org.metagan.nn.ImageShape;
import org.metagan.nn.TensorArchive;

/**
 * What every kind's checkpoint, read back, answers: its file, configuration, data facts, step and raw contents; a kind's
 * {@code Loaded} record adds the models it rebuilds from them.
 *
 * @param <C> the kind's configuration record
 */
public interface LoadedCheckpoint<C> {
    Checkpoint<C> checkpoint();

    default Path file() {
        return checkpoint().file();
    }

    default C config() {
        return checkpoint().config();
    }

    default DataFacts facts() {
        return checkpoint().facts();
    }

    default ImageShape shape() {
        return facts().shape();
    }

    default List<String> classNames() {
        return facts().classNames();
    }

    default long step() {
        return checkpoint().step();
    }

    default TensorArchive.Contents contents() {
        return checkpoint().contents();
    }
}
