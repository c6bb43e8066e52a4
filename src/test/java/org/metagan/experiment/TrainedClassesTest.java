package org.metagan.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.metagan.core.UserError;
import org.junit.jupiter.api.Test;

class TrainedClassesTest {

    @Test
    void aUnionsClasses_areTheSameNamesAsOneListPerPart_orAsTheOneListATrainerRecords() {
        // a protocol names a union's classes part by part; the trainer records them over the union, part after part
        // (MetaTrainData.load: mnist's 10 classes first, then fashion-mnist's as 10-19)
        List<String> perPart = TrainedClasses.names("mnist + fashion-mnist", null, "0-6 + 0,9");
        List<String> recorded = TrainedClasses.names("mnist + fashion-mnist", null, "0-6,10,19");

        assertThat(recorded).isEqualTo(perPart).hasSize(9);
        assertThat(recorded.subList(0, 7)).isEqualTo(TrainedClasses.names("mnist", null, "0-6"));
        assertThat(recorded.subList(7, 9)).isEqualTo(TrainedClasses.names("fashion-mnist", null, "0,9"));
    }

    @Test
    void aRecordedUnionListBeyondTheUnionsClasses_isOneLine() {
        assertThatThrownBy(() -> TrainedClasses.names("mnist + fashion-mnist", null, "0-20"))
                .isInstanceOf(UserError.class).hasMessageContaining("expected classes 0-19").hasMessageContaining("20");
    }
}
