package org.metagan.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which BLAS runs libtorch's matrix products: the one this test process loaded, and the rules that tell them apart. */
public class BlasTest {
    private static final String MKL_DIR = "/root/.javacpp/cache/mkl-2025.3-1.5.13-linux-x86_64-redist.jar/org/bytedeco/mkl/linux-x86_64/";
    private static final String OPENBLAS_DIR = "/root/.javacpp/cache/openblas-0.3.31-1.5.13-linux-x86_64.jar/org/bytedeco/openblas/linux-x86_64/";

    /**
     * The default build (no -Pmkl, so surefire passes no {@code org.bytedeco.openblas.load}) runs on OpenBLAS; a build with
     * -Pmkl runs on MKL with libtorch's GNU OpenMP threads (surefire sets MKL_THREADING_LAYER=GNU).
     */
    @Test
    void reportsTheBlasThisProcessLoaded() {
        Blas.Loaded blas = Blas.loaded();
        String load = System.getProperty("org.bytedeco.openblas.load", "");
        if (load.isEmpty()) {
            assertThat(blas.vendor()).isEqualTo(Blas.Vendor.OPENBLAS);
            assertThat(blas.library()).startsWith("libopenblas").contains("openblas-");
            assertThat(blas.describe()).startsWith("OpenBLAS (");
        } else {
            assertThat(load).isEqualTo("mkl_rt");
            assertThat(blas.vendor()).isEqualTo(Blas.Vendor.MKL);
            assertThat(blas.library()).startsWith("libmkl_rt");
            assertThat(blas.threading()).startsWith("GNU");
        }
    }

    @Test
    void mklIsToldByItsSymbolAndItsThreadingLayerByTheMappedLibrary() {
        Blas.Loaded gnu = Blas.classify(true, false, List.of(MKL_DIR + "libopenblas.so.0", MKL_DIR + "libmkl_rt.so.2", MKL_DIR + "libmkl_gnu_thread.so.2"));
        assertThat(gnu.vendor()).isEqualTo(Blas.Vendor.MKL);
        assertThat(gnu.library()).isEqualTo("libmkl_rt.so.2 of mkl-2025.3-1.5.13-linux-x86_64-redist.jar");
        assertThat(gnu.threading()).startsWith("GNU");
        Blas.Loaded intel = Blas.classify(true, false, List.of(MKL_DIR + "libmkl_rt.so.2", MKL_DIR + "libmkl_intel_thread.so.2", MKL_DIR + "libiomp5.so"));
        assertThat(intel.threading()).startsWith("INTEL");
    }

    @Test
    void openblasIsToldByItsSymbol() {
        Blas.Loaded blas = Blas.classify(false, true, List.of(OPENBLAS_DIR + "libopenblas.so.0", OPENBLAS_DIR + "libgfortran.so.5"));
        assertThat(blas.vendor()).isEqualTo(Blas.Vendor.OPENBLAS);
        assertThat(blas.describe()).isEqualTo("OpenBLAS (libopenblas.so.0 of openblas-0.3.31-1.5.13-linux-x86_64.jar)");
    }

    /** With both loaded (or neither) the symbols cannot say whose sgemm_ libtorch calls: the answer is "unknown", not a guess. */
    @Test
    void bothOrNeitherIsUnknown() {
        assertThat(Blas.classify(true, true, List.of(MKL_DIR + "libmkl_rt.so.2", OPENBLAS_DIR + "libopenblas.so.0")).vendor())
                .isEqualTo(Blas.Vendor.UNKNOWN);
        assertThat(Blas.classify(false, false, List.of()).vendor()).isEqualTo(Blas.Vendor.UNKNOWN);
    }
}
