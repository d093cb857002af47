import sys,json,os,subprocess,statistics
sys.path.insert(0,'scripts')
import eval_set
names=sys.argv[3].split(',')
allr={r['name']:r for r in eval_set.recordings()}
modes=sys.argv[1].split(';')
outdir=sys.argv[2]; os.makedirs(outdir,exist_ok=True)
for n in names:
    rec=allr[n]
    for m in modes:
        env=dict(os.environ)
        binp=os.environ['BASE_BIN'] if m=='base' else os.environ['SS_BIN']
        if m!='base': env['TALIGN_EXP_SS']=m
        out=f'{outdir}/{n}.{m}.json'
        if not os.path.exists(out):
            subprocess.run([binp,'align','-q','--words',rec['audio'],rec['transcript'],'-o',out],env=env,check=True)
        o=json.load(open(out))
        s=eval_set.score(rec,o,bool(eval_set.truth_words(rec['t'])))
        fits=[w['fit'] for tt in o['turns'] for w in tt.get('words',[]) if 'fit' in w]
        print(f"{n:28s} {m:12s} {eval_set.turn_cells(s)} | {eval_set.word_cells(s)} | fit med {statistics.median(fits) if fits else float('nan'):.2f} heard {len(fits)}",flush=True)
