package io.github.eagle4j.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eagle4j.RgbImage;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** The PyTorch goldens of one test model (fixtures/goldens/NAME/golden.json) and its model folder. */
public final class Goldens {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path GOLDENS = REPO.resolve("fixtures/goldens");

    final String name;
    final Path dir;
    public final Path modelDir;
    final JsonNode json;

    private Goldens(Path dir) {
        this.dir = dir;
        this.name = dir.getFileName().toString();
        try {
            this.json = new ObjectMapper().readTree(dir.resolve("golden.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String model = json.path("onnxCheck").path("modelDir").asText(name);
        Path a = REPO.resolve("models").resolve(model);
        Path b = REPO.resolve("fixtures/models").resolve(model);
        this.modelDir = Files.isDirectory(a) ? a : b;
    }

    /** Every model that has goldens and a committed model folder. */
    public static List<Goldens> all() {
        List<Goldens> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(GOLDENS)) {
            for (Path p : s.sorted().toList()) {
                if (Files.isRegularFile(p.resolve("golden.json"))) {
                    Goldens g = new Goldens(p);
                    if (Files.isDirectory(g.modelDir)) {
                        out.add(g);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static Goldens main() {
        return all().stream().filter(g -> g.name.equals("tiny-shapes-llava")).findFirst().orElseThrow();
    }

    public JsonNode image(String imageName) {
        for (JsonNode n : json.get("images")) {
            if (n.get("name").asText().equals(imageName)) {
                return n;
            }
        }
        throw new IllegalArgumentException(imageName);
    }

    public List<String> imageNames() {
        List<String> out = new ArrayList<>();
        json.get("images").forEach(n -> out.add(n.get("name").asText()));
        return out;
    }

    public RgbImage load(String imageName) {
        return loadPng(dir.resolve(image(imageName).get("file").asText()));
    }

    static RgbImage loadPng(Path p) {
        try {
            BufferedImage bi = ImageIO.read(p.toFile());
            int w = bi.getWidth();
            int h = bi.getHeight();
            return RgbImage.of(w, h, bi.getRGB(0, 0, w, h, null, 0, w));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static float[] floats(String base64) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    public static byte[] bytes(String base64) {
        return Base64.getDecoder().decode(base64);
    }

    static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }

    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    @Override
    public String toString() {
        return name;
    }

    /** The largest absolute difference of two arrays of the same length. */
    static double maxAbsDiff(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " and " + b.length);
        }
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    /** The values boxed, for AssertJ's containsExactly. */
    static Long[] box(long[] a) {
        Long[] out = new Long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
