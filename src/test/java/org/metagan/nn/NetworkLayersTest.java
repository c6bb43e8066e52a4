package org.metagan.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metagan.core.Engine;
import org.metagan.core.Rng;

/**
 * The layer trace of the built networks (what the memory estimate and the benchmark's flop counts read) against
 * shapes and multiply-accumulates computed by hand from the architectures' Javadoc. Counts are integers: exact.
 */
class NetworkLayersTest {
    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    /** "name [shape] MACs" of each layer, in the order they ran. */
    private static List<String> described(List<Network.Layer> layers) {
        return layers.stream().map(Network.Layer::toString).toList();
    }

    @Test
    void smallMlp_layersMatchTheHandCount() {
        ImageShape s = new ImageShape(1, 4, 4);
        MlpGenerator g = new MlpGenerator(s, 3, 0, new Rng(1));
        // z 3 -> 256 -> 512 -> 1024 -> 16 (C*H*W)
        assertThat(described(g.layers())).containsExactly("fc0 [256] " + 3 * 256 + " MACs", "fc1 [512] " + 256 * 512 + " MACs",
                "fc2 [1024] " + 512 * 1024 + " MACs", "out [16] " + 1024 * 16 + " MACs");
        // conditional on 2 classes: 16 -> 512 -> 256, head 256 -> 1, projection 2 -> 256
        MlpDiscriminator d = new MlpDiscriminator(s, 2, 0.3, new Rng(1));
        assertThat(described(d.layers())).containsExactly("fc0 [512] " + 16 * 512 + " MACs", "fc1 [256] " + 512 * 256 + " MACs",
                "head [1] 256 MACs", "projection [256] " + 2 * 256 + " MACs");
    }

    @Test
    void dcgan_convolutionLayersMatchTheHandCount() {
        ImageShape s = new ImageShape(1, 8, 8);
        DcganGenerator g = new DcganGenerator(s, 5, 0, new Rng(1));
        // fc 5 -> 128*2*2; convT(4, 2, 1) 128 -> 64 on 2x2: each of 128*2*2 inputs scatters into 64*4*4; then 64 -> 1 on 4x4
        assertThat(described(g.layers())).containsExactly("fc [512] " + 5 * 512 + " MACs",
                "up1 [64, 4, 4] " + 128 * 4 * 64 * 16 + " MACs", "up2 [1, 8, 8] " + 64 * 16 * 16 + " MACs");
        // conv(4, 2, 1) 1 -> 64 to 4x4: each of 64*4*4 outputs sums 1*4*4 products; 64 -> 128 to 2x2: 64*4*4 each; head 512 -> 1
        DcganDiscriminator d = new DcganDiscriminator(s, 0, true, new Rng(1));
        assertThat(described(d.layers())).containsExactly("conv1 [64, 4, 4] " + 64 * 16 * 16 + " MACs",
                "conv2 [128, 2, 2] " + 128 * 4 * 64 * 16 + " MACs", "head [1] 512 MACs");
    }

    @Test
    void lstm_cellIsALayerPerRow() {
        ImageShape s = new ImageShape(1, 3, 4);
        List<Network.Layer> layers = new LstmGenerator(s, 3, 0, new Rng(1)).layers();
        // code 3 -> 128; per row: the cell's four gates from [code, row one-hot] (128 + 3) and h (256), then the row 256 -> 4
        String cell = "lstm [1024] " + 1024 * (128 + 3 + 256) + " MACs";
        String row = "row [4] " + 256 * 4 + " MACs";
        assertThat(described(layers)).containsExactly("code [128] 384 MACs", cell, row, cell, row, cell, row);
    }

    @Test
    void weightRunOutsideTheTracedLayers_isReported() {
        Network raw = new Network() {
            {
                normalParam("raw.weight", new Rng(1), 0, 1, 2, 3);
            }

            @Override
            public Tensor forward(Weights w, Tensor x, Tensor condition) {
                return torch.matmul(x, w.get("raw.weight"));
            }
        };
        assertThatThrownBy(() -> raw.traceLayers(new long[] {1, 2}, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("raw.weight");
    }

    @Test
    void trace_leavesTheTrainingModeAlone() {
        MlpGenerator g = new MlpGenerator(new ImageShape(1, 4, 4), 3, 0, new Rng(1));
        g.layers();
        assertThat(g.isTraining()).isTrue();
        g.setTraining(false);
        g.layers();
        assertThat(g.isTraining()).isFalse();
    }
}
