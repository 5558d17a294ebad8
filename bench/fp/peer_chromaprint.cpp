// The peer, side by side: Chromaprint (Debian's `fpcalc`) on the same corpus.
//
//   peer_chromaprint --refs refs.txt --truth truth.csv --queries DIR
//                    [--variants clean,noise10,...] [--max-ber 0.35]
//
// Chromaprint identifies whole files; to compare what is comparable we take its raw
// fingerprints (32-bit sub-fingerprints every 0.1238 s, `fpcalc -raw`) of every reference
// and of each query, and slide the query along each reference for the lowest bit error
// rate (BER) over the overlap, the usual way to locate an excerpt with it. The top match is
// correct when it is the right reference at an offset within 0.5 s; a match needs
// BER <= --max-ber. The table is also given at the BER threshold calibrated on the
// negatives (just below the lowest BER any negative reached: no false positive), since a
// fixed threshold that suits whole-file lookups accepts most negatives after a search over
// every offset of every reference. Extraction speed is fpcalc's own (its FFmpeg decoding included),
// from wall time of the fpcalc processes over the references.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

constexpr double kItemSeconds = 4096.0 / 3 / 11025;  // chromaprint's default step

std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::vector<uint32_t> Fpcalc(const std::string& path) {
  std::vector<uint32_t> fp;
  FILE* p = popen(("fpcalc -raw -length 0 " + Quote(path) + " 2>/dev/null").c_str(), "r");
  if (p == nullptr) return fp;
  char buf[1 << 16];
  std::string out;
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  const auto at = out.find("FINGERPRINT=");
  if (at == std::string::npos) return fp;
  std::stringstream ss(out.substr(at + 12));
  std::string item;
  while (std::getline(ss, item, ',')) fp.push_back(static_cast<uint32_t>(std::stoll(item)));
  return fp;
}

struct Best {
  double ber = 1;
  int offset = 0;
};

Best Align(const std::vector<uint32_t>& ref, const std::vector<uint32_t>& q) {
  Best best;
  const int nq = static_cast<int>(q.size()), nr = static_cast<int>(ref.size());
  const int min_overlap = std::min(nq, 20);
  for (int o = -(nq - min_overlap); o <= nr - min_overlap; ++o) {
    int bits = 0, items = 0;
    for (int i = std::max(0, -o); i < nq && o + i < nr; ++i, ++items) {
      bits += std::popcount(ref[o + i] ^ q[i]);
    }
    const double ber = static_cast<double>(bits) / (32.0 * items);
    if (ber < best.ber) best = {ber, o};
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  std::string refs_path, truth_path, queries;
  std::set<std::string> variants = {"clean",  "noise10", "noise0", "mp3_64k",
                                    "pitch5", "tempo5",  "speed5", "neg"};
  double max_ber = 0.35;
  CLI::App app{"Chromaprint (fpcalc) on the same corpus, side by side with fp_eval"};
  app.add_option("--refs", refs_path, "file listing the reference audio files, one a line")
      ->required();
  app.add_option("--truth", truth_path, "ground-truth CSV of the queries")->required();
  app.add_option("--queries", queries, "directory of the query files")->required();
  app.add_option("--max-ber", max_ber, "the highest bit error rate of a match");
  app.add_option("--variants", variants, "query variants to run (clean,noise10,...)")
      ->delimiter(',');
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // bad usage exits 2, as tutti does
  }
  std::vector<std::pair<std::string, std::vector<uint32_t>>> refs;
  std::ifstream rf(refs_path);
  std::string line;
  auto t0 = std::chrono::steady_clock::now();
  double items = 0;
  while (std::getline(rf, line)) {
    if (line.empty()) continue;
    refs.emplace_back(line, Fpcalc(line));
    items += refs.back().second.size();
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf(
      "chromaprint: %zu references, %.2f h, fpcalc %.1f s = %.0fx real time (one process at a "
      "time)\n",
      refs.size(), items * kItemSeconds / 3600, secs, items * kItemSeconds / secs);
  std::printf("chromaprint index (raw fingerprints): %.2f MB per hour\n",
              items * 4 / 1e6 / (items * kItemSeconds / 3600));

  struct Agg {
    int n = 0, correct = 0, any = 0;
    std::vector<std::pair<double, bool>> tops;  // (BER of the top match, correct)
  };
  std::map<std::string, Agg> agg;
  std::ifstream tf(truth_path);
  std::getline(tf, line);
  while (std::getline(tf, line)) {
    std::stringstream ss(line);
    std::string id, variant, ref, off;
    std::getline(ss, id, ',');
    std::getline(ss, variant, ',');
    std::getline(ss, ref, ',');
    std::getline(ss, off, ',');
    if (!variants.count(variant)) continue;
    const auto q = Fpcalc(queries + "/" + variant + "/" + id + ".wav");
    Agg& a = agg[variant];
    ++a.n;
    if (q.empty()) continue;
    Best top;
    std::string top_ref;
    for (const auto& [path, fp] : refs) {
      if (fp.empty()) continue;
      Best b = Align(fp, q);
      if (b.ber < top.ber) top = b, top_ref = path;
    }
    const bool right = variant != "neg" && top_ref == ref &&
                       std::abs(top.offset * kItemSeconds - std::stod(off)) <= 0.5;
    a.tops.emplace_back(top.ber, right);
    if (top.ber > max_ber) continue;
    ++a.any;
    a.correct += right;
  }
  double calibrated = 1;
  for (const auto& [ber, right] : agg["neg"].tops) calibrated = std::min(calibrated, ber);
  calibrated -= 1e-9;
  std::printf("\ncalibrated on the negatives: BER < %.4f\n%-10s %5s %9s\n", calibrated, "variant",
              "n", "recall@1");
  for (const auto& [v, a] : agg) {
    if (v == "neg") continue;
    int ok = 0;
    for (const auto& [ber, right] : a.tops) ok += right && ber < calibrated;
    std::printf("%-10s %5d %9.2f\n", v.c_str(), a.n, static_cast<double>(ok) / a.n);
  }
  std::printf("\nat BER <= %.2f\n%-10s %5s %9s\n", max_ber, "variant", "n", "recall@1");
  for (const auto& [v, a] : agg) {
    if (v == "neg") {
      std::printf("%-10s %5d %9s   false positives %d (%.1f%%) at BER <= %.2f\n", v.c_str(), a.n,
                  "-", a.any, 100.0 * a.any / std::max(1, a.n), max_ber);
    } else {
      std::printf("%-10s %5d %9.2f\n", v.c_str(), a.n, static_cast<double>(a.correct) / a.n);
    }
  }
  return 0;
}
