//! Decodes a recording as talign does (gapless, damage bridged, channels averaged) and
//! writes the mono samples at the source rate as raw f32 little-endian, for comparing with
//! another decoder's output (`scripts/opus_vs_ffmpeg.sh`).
//!
//!     cargo run --profile ci --example decode_raw -- IN.opus OUT.f32

use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: decode_raw IN OUT.f32");
        std::process::exit(2);
    };
    let decoder = talign::decode::open(std::path::Path::new(input))?;
    let mut out = std::io::BufWriter::new(std::fs::File::create(output)?);
    let mut failed = None;
    let info = decoder.run(|chunk| {
        for x in chunk {
            if let Err(e) = out.write_all(&x.to_le_bytes()) {
                failed.get_or_insert(e);
            }
        }
    })?;
    if let Some(e) = failed {
        return Err(e.into());
    }
    out.flush()?;
    eprintln!(
        "{input}: {} frames at {} Hz ({:.3} s), {} warnings",
        info.frames,
        info.sample_rate,
        info.duration_s(),
        info.warnings.len()
    );
    Ok(())
}
