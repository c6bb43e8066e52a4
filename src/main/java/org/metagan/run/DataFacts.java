package org.metagan.run;

import java.util.List;
import org.metagan.nn.ImageShape;

/**
 * The dataset facts a checkpoint's models need to be rebuilt without the dataset.
 *
 * @param shape        image shape [C, H, W]
 * @param classNames   the training data's class names, in label order
 * @param conditionDim width of the one-hot class condition, 0 for unconditional models
 */
public record DataFacts(ImageShape shape, List<String> classNames, int conditionDim) {
    public DataFacts {
        classNames = List.copyOf(classNames);
    }
}
