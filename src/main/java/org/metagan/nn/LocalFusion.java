package org.metagan.nn;

import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Rng;

/**
 * Local fusion of K feature maps (the local fusion module of Gu et al. 2021, "LoFGAN: Fusing Local Representations
 * for Few-shot Image Generation"): one shot is the base; at randomly chosen cells of the base map, each other shot
 * contributes its feature vector most similar (cosine) to the base's vector there, and the cell becomes the
 * fusion-weighted sum of the base's vector and the matched ones; every other cell keeps the base's vector. Unlike a
 * global interpolation, the fused map keeps one shot's layout and borrows local parts (strokes) from the others.
 *
 * <p>The random choices (base, cells) come from the caller's {@link Rng} through {@link #select}; the matching is an
 * argmax without gradient, the combination is differentiable in the maps and the weights. Each episode uses only its
 * own maps, so the result does not depend on the rest of the batch.
 */
public final class LocalFusion {
    private LocalFusion() {}

    /**
     * An episode's base shot and the cells of its map that are fused.
     *
     * @param base  {@code [B]}, the base shot of each episode in {@code [0, K)}
     * @param cells {@code [B][n]}, distinct flat cell indices {@code row * w + column} in {@code [0, h w)}
     */
    public record Selection(int[] base, int[][] cells) {
        public Selection {
            if (base.length != cells.length) {
                throw new IllegalArgumentException("one base per episode: " + base.length + " bases for " + cells.length + " episodes");
            }
            for (int[] c : cells) {
                if (c.length != cells[0].length) {
                    throw new IllegalArgumentException("every episode fuses the same number of cells");
                }
            }
        }

        int cellsPerEpisode() {
            return cells.length == 0 ? 0 : cells[0].length;
        }
    }

    /**
     * The fused map and, for each episode, shot and selected cell, the cell of that shot whose vector was used.
     *
     * @param fused   {@code [B, C, h, w]}
     * @param matched {@code [B, K, n]} (int64); for the base shot, the selected cell itself
     */
    public record Result(Tensor fused, Tensor matched) {}

    /**
     * Draws each episode's base shot (uniform) and {@code round(rate h w)} distinct cells (at least one).
     *
     * @param rate share of the cells fused, in (0, 1]
     */
    public static Selection select(Rng rng, int episodes, int shots, int cellCount, double rate) {
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("the share of fused cells must be in (0, 1], got " + rate);
        }
        int n = Math.max(1, (int) Math.round(rate * cellCount));
        int[] base = new int[episodes];
        int[][] cells = new int[episodes][];
        for (int b = 0; b < episodes; b++) {
            base[b] = rng.nextInt(shots);
            cells[b] = java.util.Arrays.copyOf(rng.permutation(cellCount), n);
        }
        return new Selection(base, cells);
    }

    /**
     * Fuses {@code maps} locally: matches every selected base cell in every other shot, then {@link #combine}s.
     *
     * @param maps    {@code [B, K, C, h, w]}
     * @param weights {@code [B, K]}, rows on the simplex: the base's weight and each other shot's
     */
    public static Result fuse(Tensor maps, Tensor weights, Selection selection) {
        long b = maps.size(0);
        long k = maps.size(1);
        requireFits(selection, maps);
        int n = selection.cellsPerEpisode();
        Tensor matched;
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor flat = maps.detach().flatten(3, 4); // [B, K, C, N]
            Tensor query = baseCells(flat, selection); // [B, C, n]
            Tensor queryUnit = unit(query, 1);
            Tensor mapUnit = unit(flat, 2);
            Tensor similarity = torch.einsum("bcn,bkcm->bknm", new TensorVector(queryUnit, mapUnit)); // [B, K, n, N]
            double[] bestCells = Tensors.toDoubles(similarity.argmax(new LongOptional(3), false)); // cell indices, exact as doubles
            long[] best = new long[bestCells.length];
            for (int i = 0; i < best.length; i++) {
                best[i] = (long) bestCells[i];
            }
            for (int e = 0; e < b; e++) {
                int base = selection.base()[e];
                for (int i = 0; i < n; i++) {
                    best[(int) ((e * k + base) * n + i)] = selection.cells()[e][i]; // the base contributes its own vector
                }
            }
            matched = Tensors.fromLongs(best).view(b, k, n);
        }
        return new Result(combine(maps, weights, selection, matched), matched);
    }

    /**
     * The base map with each selected cell replaced by {@code sum_k a_k maps_k[matched_k]}; with the indices
     * {@link #fuse} matched in feature space it fuses any maps of the same cells, e.g. the shots' pixels pooled to
     * {@code h x w} (LoFGAN's local reconstruction target).
     *
     * @param maps    {@code [B, K, C, h, w]}
     * @param matched {@code [B, K, n]} int64
     * @return {@code [B, C, h, w]}
     */
    public static Tensor combine(Tensor maps, Tensor weights, Selection selection, Tensor matched) {
        long b = maps.size(0);
        long k = maps.size(1);
        long c = maps.size(2);
        long n = selection.cellsPerEpisode();
        Tensor flat = maps.flatten(3, 4); // [B, K, C, N]
        Tensor picked = flat.gather(3, matched.view(b, k, 1, n).expand(b, k, c, n)); // [B, K, C, n]
        Tensor mixed = FusionGenerator.fuse(picked, weights); // [B, C, n]
        Tensor baseMap = baseMap(flat, selection); // [B, C, N]
        Tensor fused = torch.scatter(baseMap, 2, cellIndex(selection).view(b, 1, n).expand(b, c, n), mixed);
        return fused.view(b, c, maps.size(3), maps.size(4));
    }

    private static void requireFits(Selection selection, Tensor maps) {
        long cells = maps.size(3) * maps.size(4);
        if (maps.dim() != 5 || selection.base().length != maps.size(0)) {
            throw new IllegalArgumentException("maps must be [B, K, C, h, w] with B = " + selection.base().length + " episodes, got "
                    + java.util.Arrays.toString(Tensors.shape(maps)));
        }
        for (int e = 0; e < selection.base().length; e++) {
            if (selection.base()[e] < 0 || selection.base()[e] >= maps.size(1)) {
                throw new IllegalArgumentException("episode " + e + "'s base shot " + selection.base()[e] + " is not in [0, " + maps.size(1) + ")");
            }
            for (int cell : selection.cells()[e]) {
                if (cell < 0 || cell >= cells) {
                    throw new IllegalArgumentException("episode " + e + "'s cell " + cell + " is not in [0, " + cells + ")");
                }
            }
        }
    }

    /** The base shot's map of each episode {@code [B, C, N]} from {@code flat [B, K, C, N]}. */
    private static Tensor baseMap(Tensor flat, Selection selection) {
        long b = flat.size(0);
        long c = flat.size(2);
        long cells = flat.size(3);
        long[] base = new long[selection.base().length];
        for (int i = 0; i < base.length; i++) {
            base[i] = selection.base()[i];
        }
        return flat.gather(1, Tensors.fromLongs(base).view(b, 1, 1, 1).expand(b, 1, c, cells)).squeeze(1);
    }

    /** The base map's vectors at the selected cells {@code [B, C, n]}. */
    private static Tensor baseCells(Tensor flat, Selection selection) {
        long b = flat.size(0);
        long c = flat.size(2);
        long n = selection.cellsPerEpisode();
        return baseMap(flat, selection).gather(2, cellIndex(selection).view(b, 1, n).expand(b, c, n));
    }

    private static Tensor cellIndex(Selection selection) {
        int n = selection.cellsPerEpisode();
        long[] idx = new long[selection.cells().length * n];
        for (int e = 0; e < selection.cells().length; e++) {
            for (int i = 0; i < n; i++) {
                idx[e * n + i] = selection.cells()[e][i];
            }
        }
        return Tensors.fromLongs(idx);
    }

    /** {@code x} divided by its Euclidean norm along {@code dim} (a zero vector stays zero). */
    private static Tensor unit(Tensor x, long dim) {
        Tensor norm = x.pow(new Scalar(2)).sum(new long[] {dim}, true, new ScalarTypeOptional()).sqrt();
        return x.div(norm.add(new Scalar(1e-12)));
    }
}
