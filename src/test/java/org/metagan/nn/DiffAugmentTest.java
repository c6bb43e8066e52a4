package org.metagan.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metagan.core.Engine;
import org.metagan.core.Rng;
import org.metagan.core.UserError;

/**
 * DiffAugment (Zhao et al. 2020): the same parameters transform real and fake identically, shapes are kept, translation
 * moves a one-pixel image by exactly its shift, cutout zeroes exactly its (clipped) rectangle, colour follows its
 * formulas, the drawn parameters lie in their stated ranges, and each operation's autograd gradient with respect to its
 * input matches central differences in double precision (relative error below 1e-6, or an absolute error below the
 * rounding floor {@code 100 eps max(1, |L|) / h} of central differences).
 */
class DiffAugmentTest {
    private static final int B = 3;
    private static final int C = 2;
    private static final int H = 8;
    private static final int W = 8;
    private static final List<String> POLICIES = List.of("translation", "cutout", "color", "translation,cutout,color");

    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    private static double[] values(long seed, int n, double from, double to) {
        Rng r = new Rng(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = from + (to - from) * r.nextDouble();
        }
        return v;
    }

    private static Tensor images(long seed, double from, double to) {
        return Tensors.fromDoubles(values(seed, B * C * H * W, from, to), B, C, H, W);
    }

    @Test
    void sameParams_augmentRealAndFakeIdentically_andKeepTheShape() {
        for (String spec : POLICIES) {
            DiffAugment aug = DiffAugment.parse(spec);
            DiffAugment.Params p = aug.draw(new Rng(1), B, H, W);
            Tensor real = images(2, 0.1, 1);
            Tensor fake = images(3, 0.1, 1);
            Tensor augReal = aug.apply(real, p);
            Tensor augFake = aug.apply(fake, p);
            assertThat(Tensors.shape(augReal)).containsExactly(B, C, H, W);
            assertThat(Tensors.toDoubles(aug.apply(real.clone(), p))).as(spec + ": a copy of real").isEqualTo(Tensors.toDoubles(augReal));
            assertThat(Tensors.toDoubles(aug.apply(real.to(torch.ScalarType.Float), p))).as(spec + " in float")
                    .hasSize(B * C * H * W);
            double[] r = Tensors.toDoubles(augReal);
            double[] f = Tensors.toDoubles(augFake);
            for (int i = 0; i < r.length; i++) { // inputs are positive: zeros come from the shared geometry only
                assertThat(r[i] == 0).as("%s: value %d zeroed in real and fake alike", spec, i).isEqualTo(f[i] == 0);
            }
            if (!spec.contains("color")) { // the spatial operations are linear: aug(a + b) = aug(a) + aug(b) with shared params
                double[] sum = Tensors.toDoubles(aug.apply(real.add(fake), p));
                double[] added = Tensors.toDoubles(augReal.add(augFake));
                assertThat(sum).as(spec).isEqualTo(added);
            }
        }
    }

    @Test
    void translation_movesAOnePixelImageByExactlyItsShift() {
        DiffAugment aug = DiffAugment.parse("translation");
        int[][] shifts = {{2, -1}, {-3, 0}, {0, 4}};
        int[][] dots = {{1, 5}, {6, 2}, {4, 7}}; // the last is pushed out of the frame by its shift
        double[] in = new double[B * C * H * W];
        for (int b = 0; b < B; b++) {
            for (int c = 0; c < C; c++) {
                in[((b * C + c) * H + dots[b][0]) * W + dots[b][1]] = 1 + c;
            }
        }
        DiffAugment.Params p = new DiffAugment.Params(B, H, W, null, null, null,
                new int[] {shifts[0][0], shifts[1][0], shifts[2][0]}, new int[] {shifts[0][1], shifts[1][1], shifts[2][1]}, null, null);
        double[] out = Tensors.toDoubles(aug.apply(Tensors.fromDoubles(in, B, C, H, W), p));
        for (int b = 0; b < B; b++) {
            int y = dots[b][0] + shifts[b][0];
            int x = dots[b][1] + shifts[b][1];
            for (int c = 0; c < C; c++) {
                for (int i = 0; i < H * W; i++) {
                    boolean dot = i == y * W + x && x < W;
                    assertThat(out[(b * C + c) * H * W + i]).as("image %d channel %d pixel %d", b, c, i).isEqualTo(dot ? 1 + c : 0);
                }
            }
        }
    }

    @Test
    void cutout_zeroesExactlyItsClippedRectangle() {
        DiffAugment aug = DiffAugment.parse("cutout");
        int[] tops = {2, -2, 5};
        int[] lefts = {1, 6, -4};
        DiffAugment.Params p = new DiffAugment.Params(B, H, W, null, null, null, null, null, tops, lefts);
        assertThat(p.cutoutHeight()).isEqualTo(H / 2);
        Tensor ones = torch.ones(new long[] {B, C, H, W}, new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Double));
        double[] out = Tensors.toDoubles(aug.apply(ones, p));
        for (int b = 0; b < B; b++) {
            int rows = Math.min(H, tops[b] + H / 2) - Math.max(0, tops[b]);
            int cols = Math.min(W, lefts[b] + W / 2) - Math.max(0, lefts[b]);
            for (int c = 0; c < C; c++) {
                int zeros = 0;
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        boolean inside = y >= tops[b] && y < tops[b] + H / 2 && x >= lefts[b] && x < lefts[b] + W / 2;
                        double v = out[((b * C + c) * H + y) * W + x];
                        assertThat(v).isEqualTo(inside ? 0 : 1);
                        zeros += v == 0 ? 1 : 0;
                    }
                }
                assertThat(zeros).as("image %d", b).isEqualTo(rows * cols);
            }
        }
    }

    @Test
    void color_followsItsFormulas() {
        DiffAugment aug = DiffAugment.parse("color");
        DiffAugment.Params p = aug.draw(new Rng(5), B, H, W);
        double[] x = values(6, B * C * H * W, -1, 1);
        double[] out = Tensors.toDoubles(aug.apply(Tensors.fromDoubles(x, B, C, H, W), p));
        int plane = H * W;
        for (int b = 0; b < B; b++) {
            double[] v = new double[C * plane];
            for (int i = 0; i < v.length; i++) {
                v[i] = x[b * C * plane + i] + p.brightness()[b];
            }
            for (int i = 0; i < plane; i++) {
                double mean = 0;
                for (int c = 0; c < C; c++) {
                    mean += v[c * plane + i] / C;
                }
                for (int c = 0; c < C; c++) {
                    v[c * plane + i] = (v[c * plane + i] - mean) * p.saturation()[b] + mean;
                }
            }
            double mean = Arrays.stream(v).average().orElseThrow();
            for (int i = 0; i < v.length; i++) {
                double expected = (v[i] - mean) * p.contrast()[b] + mean;
                assertThat(out[b * C * plane + i]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12 * Math.max(1, Math.abs(expected))));
            }
        }
    }

    @Test
    void drawnParams_lieInTheirRanges_reachTheirExtremes_andAreDeterministicBySeed() {
        DiffAugment aug = DiffAugment.parse("translation,cutout,color");
        int n = 400;
        int side = 28;
        Rng rng = new Rng(9);
        DiffAugment.Params p = aug.draw(rng, n, side, side);
        DiffAugment.Params again = aug.draw(new Rng(9), n, side, side);
        assertThat(again.shiftRows()).isEqualTo(p.shiftRows());
        assertThat(again.brightness()).isEqualTo(p.brightness());
        assertThat(aug.draw(rng, n, side, side).shiftRows()).as("the stream advanced").isNotEqualTo(p.shiftRows());
        int max = (int) Math.round(side / 8.0);
        assertThat(Arrays.stream(p.shiftRows()).boxed().toList()).allMatch(s -> s >= -max && s <= max).contains(-max, max);
        assertThat(Arrays.stream(p.shiftCols()).boxed().toList()).allMatch(s -> s >= -max && s <= max).contains(-max, max);
        assertThat(Arrays.stream(p.brightness()).boxed().toList()).allMatch(v -> v >= -0.5 && v < 0.5);
        assertThat(Arrays.stream(p.saturation()).boxed().toList()).allMatch(v -> v >= 0 && v < 2);
        assertThat(Arrays.stream(p.contrast()).boxed().toList()).allMatch(v -> v >= 0.5 && v < 1.5);
        assertThat(p.cutoutHeight()).isEqualTo(side / 2);
        for (int i = 0; i < n; i++) { // the centre row top + side/4 is a pixel of the image
            assertThat(p.cutoutTop()[i] + side / 4).isBetween(0, side - 1);
            assertThat(p.cutoutLeft()[i] + side / 4).isBetween(0, side - 1);
        }
        assertThat(DiffAugment.parse("cutout").draw(new Rng(1), 2, H, W).shiftRows()).isNull();
    }

    @Test
    void gradientWrtInput_matchesCentralDifferences_forEveryOperation() {
        double h = 1e-5;
        for (String spec : POLICIES) {
            DiffAugment aug = DiffAugment.parse(spec);
            DiffAugment.Params p = aug.draw(new Rng(12), B, H, W);
            Tensor projection = images(13, -1, 1);
            Tensor x = images(14, -1, 1).requires_grad_(true);
            Tensor loss = aug.apply(x, p).mul(projection).sum();
            double[] analytic = Tensors.toDoubles(torch.grad(new TensorVector(loss), new TensorVector(x)).get(0));
            double[] point = Tensors.toDoubles(x);
            double floor = 100 * Math.ulp(1.0) * Math.max(1, Math.abs(loss.item_double())) / h;
            int nonZero = 0;
            for (int i = 0; i < point.length; i++) {
                double numeric = (lossAt(aug, p, projection, point, i, h) - lossAt(aug, p, projection, point, i, -h)) / (2 * h);
                double error = Math.abs(analytic[i] - numeric);
                double relative = error / Math.max(Math.abs(analytic[i]) + Math.abs(numeric), 1e-300);
                assertThat(relative < 1e-6 || error < floor).as("%s value %d: autograd %s vs numeric %s", spec, i, analytic[i], numeric).isTrue();
                nonZero += Math.abs(analytic[i]) > 1e-6 ? 1 : 0;
            }
            assertThat(nonZero).as(spec + ": values the loss depends on").isGreaterThan(point.length / 4);
        }
    }

    private static double lossAt(DiffAugment aug, DiffAugment.Params p, Tensor projection, double[] point, int i, double step) {
        double[] moved = point.clone();
        moved[i] += step;
        try (NoGradGuard g = new NoGradGuard()) {
            return aug.apply(Tensors.fromDoubles(moved, B, C, H, W), p).mul(projection).sum().item_double();
        }
    }

    @Test
    void specs_parseAndRoundTrip_andBadOnesAreOneLineUserErrors() {
        assertThat(DiffAugment.parse("translation, cutout").spec()).isEqualTo("translation,cutout");
        assertThat(DiffAugment.parse("colour,translation").ops()).containsExactly(DiffAugment.Op.COLOR, DiffAugment.Op.TRANSLATION);
        assertThat(DiffAugment.parse("none").ops()).isEmpty();
        assertThat(DiffAugment.parse("").spec()).isEqualTo("none");
        Tensor x = images(1, -1, 1);
        assertThat(Tensors.toDoubles(DiffAugment.none().apply(x, DiffAugment.none().draw(new Rng(1), B, H, W)))).isEqualTo(Tensors.toDoubles(x));
        assertThatThrownBy(() -> DiffAugment.parse("translation,flip")).isInstanceOf(UserError.class)
                .hasMessageContaining("expected DiffAugment operations among").hasMessageContaining("found 'flip'").hasMessageContaining("; pass");
        assertThatThrownBy(() -> DiffAugment.parse("cutout,,color")).isInstanceOf(UserError.class).hasMessageContaining("found ''");
        assertThatThrownBy(() -> DiffAugment.parse("cutout,cutout")).isInstanceOf(UserError.class).hasMessageContaining("twice");
        DiffAugment.Params p = DiffAugment.parse("cutout").draw(new Rng(1), B, H, W);
        assertThatThrownBy(() -> DiffAugment.parse("cutout").apply(images(1, 0, 1).view(B, C, H * W), p))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
