// End-to-end evaluation of content identification on an audio corpus (see
// bench/fp/run_eval.sh and docs/BENCHMARKS.md).
//
//   fp_eval --refs refs.txt --truth truth.csv [--truth more.csv] --queries DIR
//           [--index-out PATH] [--index-in PATH] [--csv per_query.csv]
//           [--min-score X] [--min-peaks N] [--query-points N] [--margin X]
//           [--distractors 0.6,0.75,1.35,1.7] [--aliases FILE]
//
// --aliases: lines "duplicate<TAB>kept" for references that are byte-identical copies of
// another (Debian packages ship some tracks several times); only the kept one is indexed
// and a query cut from a duplicate counts as a query for the kept one.
//
// --distractors adds, for every reference, copies played at those speeds (resampled in
// memory) as further recordings: music with the statistics of the corpus, to grow the
// index past what Debian's music packages hold. The factors lie outside the matcher's
// +-12% search, so they are distinct recordings to it (a top match on one counts as wrong).
//
// Indexes every reference (one core), runs every query of the truth files and prints per
// variant: recall@1 (right recording, offset within 0.5 s; "rec-only": right recording at
// any offset, for music that repeats itself), false-positive rate on the
// "neg" variant, latency (median, p99; decode + extract + lookup + verify), extraction
// speed, index bytes per hour and peak memory.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tutti/audio.h"
#include "tutti/fingerprint.h"

namespace {

using Clock = std::chrono::steady_clock;
double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

struct Row {
  std::string query, variant, reference;
  double offset = 0, factor = 1;
};

std::vector<Row> ReadTruth(const std::string& path) {
  std::vector<Row> rows;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    Row r;
    std::string off, fac;
    std::getline(ss, r.query, ',');
    std::getline(ss, r.variant, ',');
    std::getline(ss, r.reference, ',');
    std::getline(ss, off, ',');
    std::getline(ss, fac, ',');
    r.offset = off.empty() ? 0 : std::stod(off);
    r.factor = fac.empty() ? 1 : std::stod(fac);
    rows.push_back(r);
  }
  return rows;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t k = static_cast<size_t>(std::ceil(p * v.size())) - 1;
  return v[std::min(k, v.size() - 1)];
}

long PeakRssKb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  std::string refs_path, queries_dir, index_out, csv_path, index_in;
  std::vector<std::string> truth_paths;
  std::vector<double> distractors;
  std::map<std::string, std::string> aliases;
  tutti::fp::MatchOptions mo;
  std::string aliases_path;
  CLI::App app{"End-to-end evaluation of content identification on an audio corpus"};
  app.add_option("--refs", refs_path, "file listing the reference audio files, one a line");
  app.add_option("--truth", truth_paths, "ground-truth CSV of the queries (repeatable)")
      ->required();
  app.add_option("--queries", queries_dir, "directory of the query files")->required();
  app.add_option("--index-out", index_out, "save the index built from --refs here");
  app.add_option("--index-in", index_in, "load this index instead of building one");
  app.add_option("--csv", csv_path, "write one row per query here");
  app.add_option("--min-score", mo.min_score, "matcher: least score of a match");
  app.add_option("--min-peaks", mo.min_matched_peaks, "matcher: least matched peaks");
  app.add_option("--query-points", mo.query_points, "matcher: query points looked up");
  app.add_option("--margin", mo.lookup_margin, "matcher: lookup margin");
  app.add_option("--distractors", distractors, "speeds of the distractor copies (0.6,0.75)")
      ->delimiter(',');
  app.add_option("--aliases", aliases_path, "lines 'duplicate<TAB>kept'")->check(CLI::ExistingFile);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // bad usage exits 2, as tutti does
  }
  if (refs_path.empty() && index_in.empty()) {
    std::fprintf(stderr, "fp_eval: give --refs or --index-in\n");
    return 2;
  }
  if (!aliases_path.empty()) {
    std::ifstream in(aliases_path);
    std::string line;
    while (std::getline(in, line)) {
      const auto tab = line.find('\t');
      if (tab != std::string::npos) aliases[line.substr(0, tab)] = line.substr(tab + 1);
    }
  }
  tutti::audio::DecodeOptions dopt;
  tutti::fp::Index index;
  double audio_s = 0, decode_s = 0, extract_s = 0, distractor_s = 0;
  if (!index_in.empty()) {
    auto t0 = Clock::now();
    auto loaded = tutti::fp::LoadIndex(index_in);
    if (!loaded.ok()) {
      std::fprintf(stderr, "%s\n", loaded.status().message().c_str());
      return 2;
    }
    index = std::move(loaded).value();
    std::printf("loaded index in %.3f s\n", Since(t0));
    audio_s = index.Stats().seconds;
  } else {
    std::ifstream refs(refs_path);
    std::string path;
    int n = 0;
    while (std::getline(refs, path)) {
      if (path.empty()) continue;
      auto t0 = Clock::now();
      auto audio = tutti::audio::DecodeFile(path, dopt);
      decode_s += Since(t0);
      if (!audio.ok()) {
        std::fprintf(stderr, "skip: %s\n", audio.status().message().c_str());
        continue;
      }
      auto t1 = Clock::now();
      auto fp = tutti::fp::Extract(audio->samples, audio->sample_rate_hz);
      extract_s += Since(t1);
      if (!fp.ok()) {
        std::fprintf(stderr, "skip %s: %s\n", path.c_str(), fp.status().message().c_str());
        continue;
      }
      audio_s += audio->source_seconds;
      if (auto st = index.Add(path, *fp); !st.ok())
        std::fprintf(stderr, "%s\n", st.message().c_str());
      for (double f : distractors) {
        auto copy = tutti::audio::Resample(audio->samples, static_cast<int>(8000 * f), 8000);
        auto dfp = tutti::fp::Extract(*copy, 8000);
        distractor_s += dfp->duration_s;
        (void)index.Add(path + "@x" + std::to_string(f), *dfp);
      }
      if (++n % 50 == 0) std::fprintf(stderr, "indexed %d\n", n);
    }
    auto tb = Clock::now();
    index.Build();
    std::printf(
        "indexed %zu recordings, %.2f h (+ %.2f h distractors); decode %.1f s, extract %.1f s, "
        "build %.2f s\n",
        index.Stats().recordings, audio_s / 3600, distractor_s / 3600, decode_s, extract_s,
        Since(tb));
    audio_s += distractor_s;
    const double real_s = audio_s - distractor_s;
    std::printf(
        "extraction speed (one core): %.0fx real time incl. decoding, %.0fx fingerprint only\n",
        real_s / (decode_s + extract_s), real_s / extract_s);
  }
  const auto st = index.Stats();  // st.bytes: the size of the serialised index
  std::printf("index: %zu hashes, %zu peaks, %.2f MB = %.2f MB per hour\n", st.hashes, st.peaks,
              st.bytes / 1e6, st.bytes / 1e6 / (audio_s / 3600));
  if (!index_out.empty()) {
    if (auto s = tutti::fp::SaveIndex(index, index_out); !s.ok())
      std::fprintf(stderr, "%s\n", s.message().c_str());
  }

  std::ofstream csv;
  if (!csv_path.empty()) {
    csv.open(csv_path);
    csv << "query,variant,truth_ref,truth_offset,found_ref,found_offset,score,peaks,votes,time_"
           "factor,pitch_factor,correct,latency_ms\n";
  }
  struct Agg {
    int n = 0, correct = 0, any = 0, right_recording = 0;
    std::vector<double> lat;
  };
  std::map<std::string, Agg> agg;
  std::vector<std::string> order;
  std::vector<double> all_lat, query_only_lat;
  tutti::fp::MatchOptions loose = mo;
  for (const auto& tp : truth_paths) {
    for (Row r : ReadTruth(tp)) {
      if (auto a = aliases.find(r.reference); a != aliases.end()) r.reference = a->second;
      const std::string file = queries_dir + "/" + r.variant + "/" + r.query + ".wav";
      auto t0 = Clock::now();
      auto audio = tutti::audio::DecodeFile(file, dopt);
      if (!audio.ok()) {
        std::fprintf(stderr, "%s\n", audio.status().message().c_str());
        continue;
      }
      auto fp = tutti::fp::Extract(audio->samples, audio->sample_rate_hz);
      auto t1 = Clock::now();
      auto res = index.Query(*fp, loose);
      const double ms = Since(t0) * 1e3;
      query_only_lat.push_back(Since(t1) * 1e3);
      if (!agg.count(r.variant)) order.push_back(r.variant);
      Agg& a = agg[r.variant];
      ++a.n;
      a.lat.push_back(ms);
      all_lat.push_back(ms);
      bool correct = false;
      const tutti::fp::Match* top = res.ok() && !res->empty() ? &res->front() : nullptr;
      if (top != nullptr) {
        ++a.any;
        correct =
            top->recording_id == r.reference && std::abs(top->reference_offset_s - r.offset) <= 0.5;
      }
      a.correct += correct;
      a.right_recording += top != nullptr && top->recording_id == r.reference;
      if (csv.is_open()) {
        csv << r.query << ',' << r.variant << ',' << r.reference << ',' << r.offset << ','
            << (top ? top->recording_id : "") << ',' << (top ? top->reference_offset_s : 0) << ','
            << (top ? top->score : 0) << ',' << (top ? top->matched_peaks : 0) << ','
            << (top ? top->votes : 0) << ',' << (top ? top->time_factor : 0) << ','
            << (top ? top->pitch_factor : 0) << ',' << correct << ',' << ms << '\n';
      }
    }
  }
  std::printf("\n%-16s %5s %9s %9s %8s %8s\n", "variant", "n", "recall@1", "rec-only", "med ms",
              "p99 ms");
  for (const auto& v : order) {
    const Agg& a = agg[v];
    if (v == "neg") {
      std::printf("%-16s %5d %9s %9s %8.1f %8.1f   false positives %d (%.1f%%)\n", v.c_str(), a.n,
                  "-", "-", Percentile(a.lat, 0.5), Percentile(a.lat, 0.99), a.any,
                  100.0 * a.any / a.n);
    } else {
      std::printf("%-16s %5d %9.2f %9.2f %8.1f %8.1f\n", v.c_str(), a.n,
                  static_cast<double>(a.correct) / a.n,
                  static_cast<double>(a.right_recording) / a.n, Percentile(a.lat, 0.5),
                  Percentile(a.lat, 0.99));
    }
  }
  std::printf("\nlatency over all queries (decode+extract+match): median %.1f ms, p99 %.1f ms\n",
              Percentile(all_lat, 0.5), Percentile(all_lat, 0.99));
  std::printf("match only (lookup+verify): median %.2f ms, p99 %.2f ms\n",
              Percentile(query_only_lat, 0.5), Percentile(query_only_lat, 0.99));
  std::printf("peak memory (RSS): %.1f MB\n", PeakRssKb() / 1024.0);
  return 0;
}
