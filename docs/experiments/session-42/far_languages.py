#!/usr/bin/env python3
"""Session 42: ten sentences each spoken by espeak-ng in Mandarin, Russian and Arabic (sox trims
and joins them with 0.7 s pauses) and their cues 2.3 s late: LANG.wav, LANG.srt and LANG.truth
(the true starts) in the current directory. Then `talign sync LANG.wav LANG.srt -o OUT`.
"""
import subprocess, sys, os
lines = {
 'cmn': ["今天天气很好，我们去公园散步吧。", "你吃饭了吗？我刚从学校回来。", "这个问题很难回答，我需要想一想。", "明天早上八点我们在车站见面。", "他的中文说得非常流利。", "请把窗户打开，房间里太热了。", "我喜欢看书，也喜欢听音乐。", "周末你有什么打算吗？", "这家饭店的菜很好吃，价格也不贵。", "我们应该早点出发，以免迟到。"],
 'ru': ["Сегодня очень хорошая погода, пойдём гулять в парк.", "Ты уже поел? Я только что вернулся из школы.", "На этот вопрос трудно ответить, мне нужно подумать.", "Завтра утром в восемь мы встретимся на вокзале.", "Он очень хорошо говорит по-русски.", "Открой, пожалуйста, окно, в комнате слишком жарко.", "Я люблю читать книги и слушать музыку.", "Какие у тебя планы на выходные?", "В этом ресторане очень вкусно и недорого.", "Нам нужно выйти пораньше, чтобы не опоздать."],
 'ar': ["الطقس جميل جدا اليوم، لنذهب إلى الحديقة.", "هل أكلت؟ لقد عدت للتو من المدرسة.", "هذا السؤال صعب، أحتاج إلى التفكير.", "غدا صباحا في الثامنة نلتقي في المحطة.", "هو يتكلم العربية بطلاقة.", "افتح النافذة من فضلك، الغرفة حارة جدا.", "أحب القراءة وأحب الاستماع إلى الموسيقى.", "ما هي خططك لعطلة نهاية الأسبوع؟", "طعام هذا المطعم لذيذ وليس غاليا.", "يجب أن نخرج مبكرا حتى لا نتأخر."],
}
def stamp(x):
    ms=int(round(x*1000)); return "%02d:%02d:%02d,%03d"%(ms//3600000,ms//60000%60,ms//1000%60,ms%1000)
for lang, ls in lines.items():
    parts=[]; cues=[]; t=1.0
    sil=f"{lang}-sil.wav"
    subprocess.run(["sox","-n","-r","16000","-c","1","-b","16",sil,"trim","0","0.7"],check=True)
    parts.append(sil)
    for i,l in enumerate(ls):
        w=f"{lang}-{i}.wav"
        subprocess.run(["espeak-ng","-v",lang,"-w",w+".tmp.wav",l],check=True)
        subprocess.run(["sox",w+".tmp.wav","-r","16000","-c","1","-b","16",w,"silence","1","0.02","0.5%","reverse","silence","1","0.02","0.5%","reverse"],check=True)
        d=float(subprocess.run(["soxi","-D",w],capture_output=True,text=True).stdout)
        start=sum(float(subprocess.run(["soxi","-D",p],capture_output=True,text=True).stdout) for p in parts)
        cues.append((start,start+d,l)); parts.append(w); parts.append(sil)
    subprocess.run(["sox"]+parts+[f"{lang}.wav"],check=True)
    with open(f"{lang}.srt","w") as f:
        for i,(s,e,l) in enumerate(cues): f.write(f"{i+1}\n{stamp(s+2.3)} --> {stamp(e+2.3)}\n{l}\n\n")
    with open(f"{lang}.truth","w") as f:
        for s,e,l in cues: f.write(f"{s:.3f}\n")
