//! Tuning aid for the VAD: scores many `VadConfig`s on every evaluation file at once.
//!
//! ```text
//! cargo run --release --example vad_sweep -- [--collar-ms 0] [--files a,b] KEY=V[:V...] ...
//! cargo run --release --example vad_sweep -- --dump NAME > frames.csv
//! ```
//!
//! Files are those of `scripts/eval_vad_all.py` (the Kerry renditions and every real
//! recording with a `speech` truth). Their features are computed once and cached under
//! `eval-out/vad/features-NAME.bin`. Each `KEY=V1:V2:...` names a `VadConfig` field and the
//! values to try; every combination is run and scored (10 ms frames, as
//! `scripts/eval_vad.py`), one line per combination: the F1 per file and the smallest
//! margin over webrtcvad's best mode (read from `eval-out/vad/webrtc-best-c<collar>.json`, which
//! `eval_vad_all.py --write-best` writes). `--dump NAME` prints per-frame evidence instead.

use std::collections::HashMap;
use std::fs;
use std::io::{Read, Write};
use std::path::Path;

use talign::features::{FeatureBlock, MEL_BANDS};
use talign::progress::Silent;
use talign::vad::{Vad, VadConfig};

struct Item {
    name: String,
    truth: Vec<bool>,
    /// Frames scored at the collar.
    keep: Vec<bool>,
    /// Frames scored at a 50 ms collar.
    keep50: Vec<bool>,
    features: FeatureBlock,
}

fn eval_files() -> Vec<(String, String, String)> {
    let mut out = vec![(
        "clean".to_string(),
        "sample-audio/kerry-aleppo-2016.mp3".to_string(),
        "sample-audio/kerry-aleppo-2016.truth.json".to_string(),
    )];
    for v in ["snr20", "snr10", "snr5", "voices"] {
        out.push((
            v.to_string(),
            format!("eval-out/{v}/kerry-aleppo-2016.mp3"),
            format!("eval-out/{v}/kerry-aleppo-2016.truth.json"),
        ));
    }
    let mut real: Vec<_> = fs::read_dir("eval-out/real")
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    real.sort();
    for dir in real {
        let truth = dir.join("truth.json");
        let Ok(text) = fs::read_to_string(&truth) else {
            continue;
        };
        let json: serde_json::Value = serde_json::from_str(&text).expect("truth json");
        if json["speech"].is_null() {
            continue;
        }
        out.push((
            dir.file_name().unwrap().to_string_lossy().into_owned(),
            dir.join("audio.wav").display().to_string(),
            truth.display().to_string(),
        ));
    }
    out
}

/// Frame k is speech when at least half of [k/100, (k+1)/100) lies inside the intervals.
fn frames_of(intervals: &[(f64, f64)], n: usize) -> Vec<bool> {
    let mut cover = vec![0.0f64; n + 1];
    for &(a, b) in intervals {
        let (a, b) = (a.max(0.0), b.min(n as f64 * 0.01));
        if b <= a {
            continue;
        }
        let (fa, fb) = (a / 0.01, b / 0.01);
        let (ia, ib) = (fa.floor() as usize, fb.floor() as usize);
        if ia == ib {
            cover[ia] += fb - fa;
            continue;
        }
        cover[ia] += ia as f64 + 1.0 - fa;
        for c in &mut cover[ia + 1..ib] {
            *c += 1.0;
        }
        if ib < n {
            cover[ib] += fb - ib as f64;
        }
    }
    cover[..n].iter().map(|&c| c >= 0.5 - 1e-9).collect()
}

fn collar_keep(intervals: &[(f64, f64)], n: usize, collar_s: f64) -> Vec<bool> {
    let bounds: Vec<f64> = intervals.iter().flat_map(|&(a, b)| [a, b]).collect();
    (0..n)
        .map(|k| {
            collar_s <= 0.0 || {
                let c = (k as f64 + 0.5) * 0.01;
                bounds.iter().all(|b| (c - b).abs() > collar_s)
            }
        })
        .collect()
}

fn features_of(name: &str, audio: &str) -> FeatureBlock {
    let cache = format!("eval-out/vad/features-{name}.bin");
    if let Ok(mut f) = fs::File::open(&cache) {
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        let floats: Vec<f32> = bytes
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
            .collect();
        let per = MEL_BANDS + 2;
        let n = floats.len() / per;
        let mut block = FeatureBlock::default();
        for i in 0..n {
            let row = &floats[i * per..(i + 1) * per];
            block.energy_db.push(row[0]);
            block.voicing.push(row[1]);
            block.log_mel.extend_from_slice(&row[2..]);
        }
        return block;
    }
    let mut all = FeatureBlock::default();
    talign::analysis::analyse(Path::new(audio), &Silent, |b| {
        let mut b = b.clone();
        b.mfcc.clear();
        all.append(&b);
    })
    .expect("decodes");
    let mut out = Vec::new();
    for i in 0..all.len() {
        out.extend_from_slice(&all.energy_db[i].to_le_bytes());
        out.extend_from_slice(&all.voicing[i].to_le_bytes());
        for v in all.mel(i) {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    fs::create_dir_all("eval-out/vad").unwrap();
    fs::write(&cache, out).unwrap();
    all
}

fn set(cfg: &mut VadConfig, key: &str, v: f64) {
    match key {
        "floor_half_window" => cfg.floor_half_window = v as usize,
        "enter_db" => cfg.enter_db = v as f32,
        "exit_db" => cfg.exit_db = v as f32,
        "top_bands" => cfg.top_bands = v as usize,
        "min_gap" => cfg.min_gap = v as u32,
        "min_speech" => cfg.min_speech = v as u32,
        "voiced_threshold" => cfg.voiced_threshold = v as f32,
        "min_voiced" => cfg.min_voiced = v as u32,
        "pad_start" => cfg.pad_start = v as u32,
        "pad_end" => cfg.pad_end = v as u32,
        "relative_drop_db" => cfg.relative_drop_db = (v > 0.0).then_some(v as f32),
        "level_half_window" => cfg.level_half_window = v as usize,
        "exit_below_level_db" => cfg.exit_below_level_db = (v > 0.0).then_some(v as f32),
        "smooth_half" => cfg.smooth_half = v as u32,
        "band_low_hz" => cfg.band_low_hz = v as f32,
        "band_high_hz" => cfg.band_high_hz = v as f32,
        _ => panic!("unknown key {key}"),
    }
}

fn f1(truth: &[bool], keep: &[bool], pred: &[bool]) -> (f64, f64, f64) {
    let (mut tp, mut fp, mut fne) = (0u64, 0u64, 0u64);
    for ((&t, &k), &p) in truth.iter().zip(keep).zip(pred) {
        if !k {
            continue;
        }
        match (t, p) {
            (true, true) => tp += 1,
            (false, true) => fp += 1,
            (true, false) => fne += 1,
            _ => {}
        }
    }
    let p = if tp + fp > 0 {
        tp as f64 / (tp + fp) as f64
    } else if fne == 0 {
        1.0
    } else {
        0.0
    };
    let r = if tp + fne > 0 {
        tp as f64 / (tp + fne) as f64
    } else {
        1.0
    };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut collar_ms = 0.0;
    let mut only: Option<Vec<String>> = None;
    let mut dump: Option<String> = None;
    let mut verbose = false;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--collar-ms" => {
                collar_ms = args[i + 1].parse().unwrap();
                args.drain(i..i + 2);
            }
            "--files" => {
                only = Some(args[i + 1].split(',').map(String::from).collect());
                args.drain(i..i + 2);
            }
            "--dump" => {
                dump = Some(args[i + 1].clone());
                args.drain(i..i + 2);
            }
            "-v" => {
                verbose = true;
                args.remove(i);
            }
            _ => i += 1,
        }
    }
    let mut items = Vec::new();
    for (name, audio, truth_path) in eval_files() {
        if only.as_ref().is_some_and(|o| !o.contains(&name)) {
            continue;
        }
        if dump.as_ref().is_some_and(|d| *d != name) {
            continue;
        }
        if !Path::new(&audio).exists() {
            eprintln!("skipping {name}: no {audio}");
            continue;
        }
        let json: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&truth_path).unwrap()).unwrap();
        let n = (json["duration_s"].as_f64().unwrap() / 0.01 - 1e-9).ceil() as usize;
        let intervals: Vec<(f64, f64)> = json["speech"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
            .collect();
        items.push(Item {
            truth: frames_of(&intervals, n),
            keep: collar_keep(&intervals, n, collar_ms / 1000.0),
            keep50: collar_keep(&intervals, n, 0.05),
            features: features_of(&name, &audio),
            name,
        });
    }
    let best: HashMap<String, f64> =
        fs::read_to_string(format!("eval-out/vad/webrtc-best-c{collar_ms}.json"))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();

    let best50: HashMap<String, f64> = fs::read_to_string("eval-out/vad/webrtc-best-c50.json")
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    if let Some(name) = dump {
        let item = &items[0];
        let mut vad = Vad::new(VadConfig::default()).with_frame_scores();
        vad.push(&item.features);
        let parts = vad.into_parts();
        let mut pred = vec![false; item.truth.len()];
        for r in &parts.regions {
            for p in &mut pred
                [r.start.index().min(item.truth.len())..r.end.index().min(item.truth.len())]
            {
                *p = true;
            }
        }
        let mut out = std::io::stdout().lock();
        writeln!(out, "frame,truth,pred,score,voicing,energy").unwrap();
        let n = item.features.len().min(item.truth.len());
        let mut scores = parts.frame_scores.db(0..n);
        scores.resize(n, -64.0);
        for (k, (&truth, &speech)) in item.truth[..n].iter().zip(&pred).enumerate() {
            writeln!(
                out,
                "{k},{},{},{:.1},{:.3},{:.1}",
                u8::from(truth),
                u8::from(speech),
                scores[k],
                item.features.voicing[k],
                item.features.energy_db[k]
            )
            .unwrap();
        }
        eprintln!("dumped {name}");
        return;
    }

    // Cartesian product of KEY=V1:V2 arguments.
    let mut grid: Vec<Vec<(String, f64)>> = vec![Vec::new()];
    for arg in &args {
        let (key, values) = arg.split_once('=').expect("KEY=V[:V...]");
        let values: Vec<f64> = values.split(':').map(|v| v.parse().unwrap()).collect();
        grid = grid
            .into_iter()
            .flat_map(|g| {
                values.iter().map(move |&v| {
                    let mut g = g.clone();
                    g.push((key.to_string(), v));
                    g
                })
            })
            .collect();
    }
    print!("{:<50}", "config");
    for item in &items {
        print!(" {:>8.8}", item.name);
    }
    println!(
        " {:>8} {:>8} {:>8} {:>8}",
        "minmarg", "snr20", "mean", "marg50"
    );
    for point in grid {
        let mut cfg = VadConfig::default();
        for (k, v) in &point {
            set(&mut cfg, k, *v);
        }
        let label: Vec<String> = point.iter().map(|(k, v)| format!("{k}={v}")).collect();
        print!("{:<50}", label.join(","));
        let mut min_margin = f64::INFINITY;
        let mut min_margin50 = f64::INFINITY;
        let mut snr20 = f64::NAN;
        let mut details = Vec::new();
        let mut sum = 0.0;
        for item in &items {
            let mut vad = Vad::new(cfg.clone());
            vad.push(&item.features);
            let regions = vad.finish();
            let n = item.truth.len();
            let mut pred = vec![false; n];
            for r in &regions {
                let (a, b) = (r.start.index().min(n), r.end.index().min(n));
                pred[a..b].iter_mut().for_each(|p| *p = true);
            }
            let (p, r, f) = f1(&item.truth, &item.keep, &pred);
            if let Some(b) = best.get(&item.name) {
                min_margin = min_margin.min(f - b);
            }
            if let Some(b) = best50.get(&item.name) {
                min_margin50 = min_margin50.min(f1(&item.truth, &item.keep50, &pred).2 - b);
            }
            if item.name == "snr20" {
                snr20 = f;
            }
            print!(" {f:>8.4}");
            sum += f;
            details.push(format!("{}: P {p:.4} R {r:.4}", item.name));
            if verbose && n < 12_000 {
                let spans: Vec<String> = regions
                    .iter()
                    .map(|r| format!("{:.2}-{:.2}", r.start.seconds(), r.end.seconds()))
                    .collect();
                details.push(format!("\n      {}", spans.join(" ")));
            }
        }
        println!(
            " {min_margin:>+8.4} {snr20:>8.4} {:>8.4} {min_margin50:>+8.4}",
            sum / items.len() as f64
        );
        if verbose {
            println!("    {}", details.join("; "));
        }
    }
}
