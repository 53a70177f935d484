"""Facts about real Hugging Face models from which `build_hf_snapshot.py` writes the bundled snapshot.

One row per model: repo id, pipeline tag, library, license, languages, datasets, base models (with
the Hub's relation), arXiv ids, gating, approximate creation month, architecture/format tags, and
a popularity tier (1-5) that only scales the illustrative download/like counters. The rows were
written from the maintainers' knowledge of these public repositories; see snapshot/hf/README.md.
"""

# Columns of M(): id, task, library, license, then keywords.
ROWS = []


def M(repo, task=None, lib="transformers", lic=None, lang=(), ds=(), base=(), rel=None, arxiv=(), gated=False,
      created="2022-03", arch=None, fmt=("pytorch", "safetensors"), tier=2, **flags):
    ROWS.append(dict(id=repo, task=task, lib=lib, lic=lic, lang=list(lang), ds=list(ds),
                     base=[base] if isinstance(base, str) else list(base), rel=rel, arxiv=list(arxiv),
                     gated=gated, created=created, arch=arch, fmt=list(fmt), tier=tier, **flags))


BERT = ("1810.04805",)
DISTIL = ("1910.01108",)
EN = ("en",)
WHISPER_LANGS = ("en", "zh", "de", "es", "ru", "ko", "fr", "ja", "pt", "tr", "pl", "ca", "nl", "ar", "sv", "it",
                 "id", "hi", "fi", "vi", "he", "uk", "el", "ms", "cs", "ro", "da", "hu", "ta", "no")
LLAMA31_LANGS = ("en", "de", "fr", "it", "pt", "hi", "es", "th")
XLMR_LANGS = ("multilingual", "af", "am", "ar", "as", "az", "be", "bg", "bn", "br", "bs", "ca", "cs", "cy", "da",
              "de", "el", "en", "eo", "es", "et", "eu", "fa", "fi", "fr")

# --- encoders -------------------------------------------------------------------------------
M("google-bert/bert-base-uncased", "fill-mask", lic="apache-2.0", lang=EN, ds=("bookcorpus", "wikipedia"),
  arxiv=BERT, arch="bert", fmt=("pytorch", "tf", "jax", "safetensors"), tier=5, example="[MASK]")
M("google-bert/bert-base-cased", "fill-mask", lic="apache-2.0", lang=EN, ds=("bookcorpus", "wikipedia"),
  arxiv=BERT, arch="bert", tier=4)
M("google-bert/bert-large-uncased", "fill-mask", lic="apache-2.0", lang=EN, ds=("bookcorpus", "wikipedia"),
  arxiv=BERT, arch="bert", tier=3)
M("google-bert/bert-large-cased", "fill-mask", lic="apache-2.0", lang=EN, ds=("bookcorpus", "wikipedia"),
  arxiv=BERT, arch="bert", tier=2)
M("google-bert/bert-base-multilingual-cased", "fill-mask", lic="apache-2.0",
  lang=("multilingual", "af", "sq", "ar", "an", "hy", "ast", "az", "ba", "eu", "bar", "be", "bn"),
  ds=("wikipedia",), arxiv=BERT, arch="bert", tier=4)
M("google-bert/bert-base-multilingual-uncased", "fill-mask", lic="apache-2.0",
  lang=("multilingual", "af", "sq", "ar", "an", "hy", "ast", "az"), ds=("wikipedia",), arxiv=BERT, arch="bert")
M("google-bert/bert-base-chinese", "fill-mask", lang=("zh",), arch="bert", tier=3, body_lang="zh")
M("google-bert/bert-large-uncased-whole-word-masking-finetuned-squad", "question-answering", lic="apache-2.0",
  lang=EN, ds=("bookcorpus", "wikipedia"), arxiv=BERT, arch="bert")
M("distilbert/distilbert-base-uncased", "fill-mask", lic="apache-2.0", lang=EN, ds=("bookcorpus", "wikipedia"),
  arxiv=DISTIL, arch="distilbert", tier=5)
M("distilbert/distilbert-base-cased", "fill-mask", lic="apache-2.0", lang=EN, ds=("bookcorpus", "wikipedia"),
  arxiv=DISTIL, arch="distilbert", tier=3)
M("distilbert/distilbert-base-multilingual-cased", "fill-mask", lic="apache-2.0",
  lang=("multilingual", "af", "sq", "ar", "an", "hy", "az", "eu"), ds=("wikipedia",), arxiv=DISTIL,
  arch="distilbert", tier=3)
M("distilbert/distilbert-base-uncased-finetuned-sst-2-english", "text-classification", lic="apache-2.0", lang=EN,
  ds=("sst2", "glue"), arch="distilbert", tier=5,
  index=[("text-classification", "glue", "sst2", "validation", [("accuracy", 0.911)])])
M("distilbert/distilbert-base-cased-distilled-squad", "question-answering", lic="apache-2.0", lang=EN,
  ds=("squad",), arxiv=DISTIL, arch="distilbert", tier=3)
M("distilbert/distilroberta-base", "fill-mask", lic="apache-2.0", lang=EN, ds=("openwebtext",), arxiv=DISTIL,
  arch="roberta", tier=4)
M("FacebookAI/roberta-base", "fill-mask", lic="mit", lang=EN, ds=("bookcorpus", "wikipedia"),
  arxiv=("1907.11692", "1806.02847"), arch="roberta", tier=5)
M("FacebookAI/roberta-large", "fill-mask", lic="mit", lang=EN, ds=("bookcorpus", "wikipedia"),
  arxiv=("1907.11692", "1806.02847"), arch="roberta", tier=4)
M("FacebookAI/roberta-large-mnli", "text-classification", lic="mit", lang=EN, ds=("multi_nli", "wikipedia", "bookcorpus"),
  arxiv=("1907.11692",), arch="roberta", tier=3)
M("FacebookAI/xlm-roberta-base", "fill-mask", lic="mit", lang=XLMR_LANGS, arxiv=("1911.02116",), arch="xlm-roberta",
  tier=5)
M("FacebookAI/xlm-roberta-large", "fill-mask", lic="mit", lang=XLMR_LANGS, arxiv=("1911.02116",), arch="xlm-roberta",
  tier=4)
M("albert/albert-base-v2", "fill-mask", lic="apache-2.0", lang=EN, ds=("bookcorpus", "wikipedia"),
  arxiv=("1909.11942",), arch="albert", tier=4)
M("albert/albert-large-v2", "fill-mask", lic="apache-2.0", lang=EN, ds=("bookcorpus", "wikipedia"),
  arxiv=("1909.11942",), arch="albert")
M("microsoft/deberta-v3-base", None, lic="mit", lang=EN, arxiv=("2006.03654", "2111.09543"), arch="deberta-v2",
  tier=4)
M("microsoft/deberta-v3-large", None, lic="mit", lang=EN, arxiv=("2006.03654", "2111.09543"), arch="deberta-v2",
  tier=3)
M("microsoft/codebert-base", "feature-extraction", arxiv=("2002.08155",), arch="roberta", tier=3)
M("allenai/longformer-base-4096", None, lic="apache-2.0", lang=EN, arxiv=("2004.05150",), arch="longformer", tier=3)
M("dbmdz/bert-base-german-cased", "fill-mask", lic="mit", lang=("de",), arch="bert", tier=2, body_lang="de")
M("tohoku-nlp/bert-base-japanese", "fill-mask", lic="cc-by-sa-4.0", lang=("ja",), ds=("wikipedia",), arch="bert",
  body_lang="ja")
M("almanach/camembert-base", "fill-mask", lic="mit", lang=("fr",), ds=("oscar",), arxiv=("1911.03894",),
  arch="camembert", tier=3, body_lang="fr")
M("hfl/chinese-roberta-wwm-ext", "fill-mask", lic="apache-2.0", lang=("zh",), arxiv=("1906.08101", "2004.13922"),
  arch="bert", tier=3, body_lang="zh")

# --- fine-tuned classifiers, NER, QA (with model-index) ------------------------------------
M("dslim/bert-base-NER", "token-classification", lic="mit", lang=EN, ds=("conll2003",), arxiv=BERT, arch="bert",
  base="google-bert/bert-base-cased", rel="finetune", tier=4,
  index=[("token-classification", "conll2003", "conll2003", "test",
          [("accuracy", 0.9118), ("precision", 0.9212), ("recall", 0.9306), ("f1", 0.9259)])])
M("deepset/roberta-base-squad2", "question-answering", lic="cc-by-4.0", lang=EN, ds=("squad_v2",), arch="roberta",
  base="FacebookAI/roberta-base", rel="finetune", tier=4,
  index=[("question-answering", "squad_v2", "squad_v2", "validation", [("exact_match", 79.93), ("f1", 82.95)])])
M("SamLowe/roberta-base-go_emotions", "text-classification", lic="mit", lang=EN, ds=("go_emotions",), arch="roberta",
  base="FacebookAI/roberta-base", rel="finetune", tier=3)
M("cardiffnlp/twitter-roberta-base-sentiment-latest", "text-classification", lang=EN, ds=("tweet_eval",),
  arxiv=("2202.03829",), arch="roberta", tier=4)
M("nlptown/bert-base-multilingual-uncased-sentiment", "text-classification", lic="mit",
  lang=("en", "nl", "de", "fr", "it", "es"), arch="bert", tier=3, malformed="unclosed")
M("papluca/xlm-roberta-base-language-detection", "text-classification", lic="mit",
  lang=("multilingual", "ar", "bg", "de", "el", "en", "es", "fr", "hi", "it", "ja", "nl", "pl", "pt", "ru", "sw",
        "th", "tr", "ur", "vi", "zh"),
  ds=("papluca/language-identification",), arch="xlm-roberta", base="FacebookAI/xlm-roberta-base", rel="finetune",
  index=[("text-classification", "papluca/language-identification", None, "test", [("accuracy", 0.9961)])])
M("facebook/bart-large-mnli", "zero-shot-classification", lic="mit", ds=("multi_nli",),
  arxiv=("1910.13461", "1909.00161"), arch="bart", tier=5)
M("facebook/bart-large-cnn", "summarization", lic="mit", lang=EN, ds=("cnn_dailymail",), arxiv=("1910.13461",),
  arch="bart", tier=4,
  index=[("summarization", "cnn_dailymail", "3.0.0", "train", [("rouge", 42.9486), ("rougeL", 30.6186)])])
M("flair/ner-english", "token-classification", lib="flair", lang=EN, ds=("conll2003",), fmt=("pytorch",), tier=3)
M("flair/ner-german", "token-classification", lib="flair", lang=("de",), ds=("conll2003",), fmt=("pytorch",),
  body_lang="de")

# --- seq2seq and translation ----------------------------------------------------------------
T5_LANGS = ("en", "fr", "ro", "de", "multilingual")
M("google-t5/t5-small", "translation", lic="apache-2.0", lang=T5_LANGS, ds=("c4",),
  arxiv=("1805.12471", "1708.00055", "1704.05426", "1606.05250", "1808.09121", "1810.12885", "1905.10044",
         "1910.09700"), arch="t5", fmt=("pytorch", "tf", "jax", "rust", "onnx", "safetensors"), tier=5)
M("google-t5/t5-base", "translation", lic="apache-2.0", lang=T5_LANGS, ds=("c4",), arxiv=("1805.12471", "1910.09700"),
  arch="t5", tier=4)
M("google-t5/t5-large", "translation", lic="apache-2.0", lang=T5_LANGS, ds=("c4",), arxiv=("1805.12471",), arch="t5")
FLAN_LANGS = ("en", "fr", "ro", "de", "multilingual")
M("google/flan-t5-small", "text2text-generation", lic="apache-2.0", lang=FLAN_LANGS, ds=("svakulenk0/qrecc", "taskmaster2"),
  arxiv=("2210.11416", "1910.09700"), arch="t5", tier=4)
M("google/flan-t5-base", "text2text-generation", lic="apache-2.0", lang=FLAN_LANGS, ds=("svakulenk0/qrecc", "taskmaster2"),
  arxiv=("2210.11416", "1910.09700"), arch="t5", tier=5)
M("google/flan-t5-large", "text2text-generation", lic="apache-2.0", lang=FLAN_LANGS, arxiv=("2210.11416", "1910.09700"),
  arch="t5", tier=4)
M("google/flan-t5-xl", "text2text-generation", lic="apache-2.0", lang=FLAN_LANGS, arxiv=("2210.11416", "1910.09700"),
  arch="t5", tier=3)
M("google/mt5-small", "text2text-generation", lic="apache-2.0",
  lang=("multilingual", "af", "am", "ar", "az", "be", "bg", "bn", "ca", "ceb", "co", "cs", "cy", "da"),
  ds=("mc4",), arxiv=("2010.11934",), arch="mt5", tier=3)
M("google/byt5-small", "text2text-generation", lic="apache-2.0", lang=("multilingual",), ds=("mc4",),
  arxiv=("2105.13626",), arch="t5", no_yaml=True)
M("facebook/bart-base", "feature-extraction", lic="apache-2.0", lang=EN, arxiv=("1910.13461",), arch="bart", tier=4)
M("facebook/bart-large", "feature-extraction", lic="apache-2.0", lang=EN, arxiv=("1910.13461",), arch="bart", tier=3)
M("facebook/nllb-200-distilled-600M", "translation", lic="cc-by-nc-4.0",
  lang=("ace", "acm", "acq", "aeb", "af", "ajp", "ak", "als", "am", "apc", "ar", "ars", "ary", "arz", "as"),
  ds=("flores-200",), arxiv=("2207.04672",), arch="m2m_100", tier=4)
M("facebook/m2m100_418M", "text2text-generation", lic="mit",
  lang=("multilingual", "af", "am", "ar", "ast", "az", "ba", "be", "bg", "bn", "br", "bs", "ca"),
  arxiv=("2010.11125",), arch="m2m_100", tier=3)
M("facebook/mbart-large-50", "text2text-generation", lic="mit",
  lang=("multilingual", "ar", "cs", "de", "en", "es", "et", "fi", "fr", "gu", "hi", "it", "ja"),
  arxiv=("2008.00401",), arch="mbart", tier=3)
M("Helsinki-NLP/opus-mt-en-de", "translation", lang=("en", "de"), arch="marian", tier=4, malformed="indent")
M("Helsinki-NLP/opus-mt-fr-en", "translation", lic="apache-2.0", lang=("fr", "en"), arch="marian", tier=3)
M("Helsinki-NLP/opus-mt-zh-en", "translation", lic="cc-by-4.0", lang=("zh", "en"), arch="marian", tier=3)
M("Helsinki-NLP/opus-mt-en-es", "translation", lic="apache-2.0", lang=("en", "es"), arch="marian", tier=3)

# --- sentence embeddings ---------------------------------------------------------------------
ST = dict(lib="sentence-transformers", fmt=("pytorch", "onnx", "safetensors"))
M("sentence-transformers/all-MiniLM-L6-v2", "sentence-similarity", lic="apache-2.0", lang=EN,
  ds=("s2orc", "ms_marco", "snli", "multi_nli", "natural_questions", "trivia_qa", "gooaq", "yahoo_answers_topics",
      "code_search_net", "search_qa", "eli5", "embedding-data/sentence-compression"),
  arch="bert", base="nreimers/MiniLM-L6-H384-uncased", rel="finetune", tier=5, **ST)
M("sentence-transformers/all-MiniLM-L12-v2", "sentence-similarity", lic="apache-2.0", lang=EN,
  ds=("s2orc", "ms_marco", "snli", "multi_nli", "natural_questions", "trivia_qa"), arch="bert",
  base="microsoft/MiniLM-L12-H384-uncased", rel="finetune", tier=4, **ST)
M("sentence-transformers/all-mpnet-base-v2", "sentence-similarity", lic="apache-2.0", lang=EN,
  ds=("s2orc", "ms_marco", "snli", "multi_nli", "natural_questions", "trivia_qa"), arch="mpnet",
  base="microsoft/mpnet-base", rel="finetune", tier=5, **ST)
M("sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2", "sentence-similarity", lic="apache-2.0",
  lang=("multilingual", "ar", "bg", "ca", "cs", "da", "de", "el", "en", "es", "et", "fa", "fi", "fr"),
  arxiv=("1908.10084",), arch="bert", tier=4, **ST)
M("sentence-transformers/paraphrase-MiniLM-L6-v2", "sentence-similarity", lic="apache-2.0",
  arxiv=("1908.10084",), arch="bert", tier=3, **ST)
M("sentence-transformers/multi-qa-MiniLM-L6-cos-v1", "sentence-similarity", lang=EN,
  ds=("flax-sentence-embeddings/stackexchange_xml", "ms_marco", "gooaq", "yahoo_answers_topics", "search_qa",
      "eli5", "natural_questions", "trivia_qa", "embedding-data/QQP", "embedding-data/PAQ_pairs"),
  arch="bert", tier=3, **ST)
M("sentence-transformers/distiluse-base-multilingual-cased-v2", "sentence-similarity", lic="apache-2.0",
  lang=("multilingual", "ar", "bg", "ca", "cs", "da", "de", "el", "en", "es", "et"), arxiv=("1908.10084",),
  arch="distilbert", **ST)
M("BAAI/bge-small-en-v1.5", "feature-extraction", lic="mit", lang=EN, arxiv=("2401.03462", "2312.15503",
  "2311.13534", "2310.07554", "2309.07597"), arch="bert", tier=4, **ST)
M("BAAI/bge-base-en-v1.5", "feature-extraction", lic="mit", lang=EN, arxiv=("2401.03462", "2309.07597"), arch="bert",
  tier=4, **ST)
M("BAAI/bge-large-en-v1.5", "feature-extraction", lic="mit", lang=EN, arxiv=("2401.03462", "2309.07597"), arch="bert",
  tier=4, **ST)
M("BAAI/bge-m3", "sentence-similarity", lic="mit", arxiv=("2402.03216", "2004.04906", "2106.14807"),
  arch="xlm-roberta", tier=4, **ST)
M("BAAI/bge-reranker-base", "text-classification", lic="mit", lang=("en", "zh"), arch="xlm-roberta", tier=3)
M("intfloat/e5-large-v2", "sentence-similarity", lic="mit", lang=EN, arxiv=("2212.03533", "2104.08663", "2210.07316"),
  arch="bert", tier=3, **ST)
M("intfloat/e5-small-v2", "sentence-similarity", lic="mit", lang=EN, arxiv=("2212.03533",), arch="bert", **ST)
M("intfloat/multilingual-e5-large", "feature-extraction", lic="mit",
  lang=("multilingual", "af", "am", "ar", "as", "az", "be", "bg", "bn", "br", "bs", "ca", "cs"),
  arxiv=("2402.05672", "2108.08787", "2104.08663", "2210.07316"), arch="xlm-roberta", tier=4, **ST)
M("thenlper/gte-base", "sentence-similarity", lic="mit", lang=EN, arxiv=("2308.03281",), arch="bert", tier=3, **ST)
M("nomic-ai/nomic-embed-text-v1.5", "sentence-similarity", lic="apache-2.0", lang=EN, arxiv=("2402.01613",),
  arch="nomic_bert", tier=4, **ST)
M("mixedbread-ai/mxbai-embed-large-v1", "feature-extraction", lic="apache-2.0", lang=EN, arch="bert", tier=3, **ST)
M("Alibaba-NLP/gte-large-en-v1.5", "sentence-similarity", lic="apache-2.0", lang=EN, arxiv=("2407.19669", "2308.03281"),
  arch="new", **ST)
M("nreimers/MiniLM-L6-H384-uncased", None, lic="mit", arch="bert", fmt=("pytorch", "jax"))
M("microsoft/MiniLM-L12-H384-uncased", None, lic="mit", arxiv=("2002.10957",), arch="bert", tier=3)
M("microsoft/mpnet-base", "fill-mask", arxiv=("2004.09297",), arch="mpnet", tier=3)

# --- decoder LLMs ----------------------------------------------------------------------------
LLM = ("text-generation-inference",)
M("openai-community/gpt2", "text-generation", lic="mit", lang=EN, arch="gpt2",
  fmt=("pytorch", "tf", "jax", "tflite", "rust", "onnx", "safetensors"), tier=5)
M("openai-community/gpt2-medium", "text-generation", lic="mit", lang=EN, arxiv=("1910.09700",), arch="gpt2", tier=4)
M("openai-community/gpt2-large", "text-generation", lic="mit", lang=EN, arxiv=("1910.09700",), arch="gpt2", tier=3)
M("openai-community/gpt2-xl", "text-generation", lic="mit", lang=EN, arxiv=("1910.09700",), arch="gpt2", tier=3)
M("openai-community/openai-gpt", "text-generation", lic="mit", lang=EN, arxiv=("1705.11168", "1803.02324",
  "1910.09700"), arch="openai-gpt", no_yaml=True)
M("distilbert/distilgpt2", "text-generation", lic="apache-2.0", lang=EN, ds=("openwebtext",),
  arxiv=("1910.01108", "2201.08542", "2203.12574", "1910.09700", "1503.02531"), arch="gpt2", tier=4,
  index=[("text-generation", "wikitext", "wikitext-103-v1", "test", [("perplexity", 21.1)])])
M("EleutherAI/gpt-neo-125m", "text-generation", lic="mit", lang=EN, ds=("EleutherAI/pile",), arch="gpt_neo", tier=4)
M("EleutherAI/gpt-neo-1.3B", "text-generation", lic="mit", lang=EN, ds=("EleutherAI/pile",), arch="gpt_neo", tier=3)
M("EleutherAI/gpt-neo-2.7B", "text-generation", lic="mit", lang=EN, ds=("EleutherAI/pile",), arch="gpt_neo", tier=3)
M("EleutherAI/gpt-j-6b", "text-generation", lic="apache-2.0", lang=EN, ds=("EleutherAI/pile",),
  arxiv=("2104.09864", "2101.00027"), arch="gptj", tier=3)
M("EleutherAI/gpt-neox-20b", "text-generation", lic="apache-2.0", lang=EN, ds=("EleutherAI/pile",),
  arxiv=("2204.06745", "2101.00027", "2201.07311", "2104.09864"), arch="gpt_neox", tier=3)
for size in ("70m", "160m", "410m", "1b"):
    M(f"EleutherAI/pythia-{size}", "text-generation", lic="apache-2.0", lang=EN, ds=("EleutherAI/pile",),
      arxiv=("2304.01373", "2101.00027", "2201.07311"), arch="gpt_neox", tier=3)
BLOOM_LANGS = ("ak", "ar", "as", "bm", "bn", "ca", "code", "en", "es", "eu", "fon", "fr", "gu", "hi", "id", "ig")
M("bigscience/bloom-560m", "text-generation", lic="bigscience-bloom-rail-1.0", lang=BLOOM_LANGS,
  arxiv=("1909.08053", "2110.02861", "2108.12409"), arch="bloom", tier=4)
M("bigscience/bloom-1b7", "text-generation", lic="bigscience-bloom-rail-1.0", lang=BLOOM_LANGS,
  arxiv=("1909.08053", "2110.02861", "2108.12409"), arch="bloom", tier=3)
M("bigscience/bloom", "text-generation", lic="bigscience-bloom-rail-1.0", lang=BLOOM_LANGS,
  arxiv=("2211.05100", "1909.08053", "2110.02861", "2108.12409"), arch="bloom", tier=4)
M("bigscience/bloomz-560m", "text-generation", lic="bigscience-bloom-rail-1.0", lang=BLOOM_LANGS,
  ds=("bigscience/xP3",), arxiv=("2211.01786",), arch="bloom", base="bigscience/bloom-560m", rel="finetune", tier=3)
M("facebook/opt-125m", "text-generation", lic="other", lang=EN, arxiv=("2205.01068", "2005.14165"), arch="opt",
  tier=5)
M("facebook/opt-350m", "text-generation", lic="other", lang=EN, arxiv=("2205.01068",), arch="opt", tier=4,
  no_yaml=True)
M("facebook/opt-1.3b", "text-generation", lic="other", lang=EN, arxiv=("2205.01068", "2005.14165"), arch="opt",
  tier=3)
M("microsoft/DialoGPT-medium", "text-generation", lic="mit", arxiv=("1911.00536",), arch="gpt2", tier=3,
  extra_tags=("conversational",))
M("microsoft/phi-1_5", "text-generation", lic="mit", lang=EN, arch="phi", created="2023-09", tier=3)
M("microsoft/phi-2", "text-generation", lic="mit", lang=EN, arch="phi", created="2023-12", tier=4)
M("microsoft/Phi-3-mini-4k-instruct", "text-generation", lic="mit", lang=("en", "fr"), arch="phi3",
  created="2024-04", tier=5, extra_tags=("conversational",))
M("microsoft/Phi-3-mini-128k-instruct", "text-generation", lic="mit", lang=EN, arch="phi3", created="2024-04",
  tier=4, extra_tags=("conversational",))
M("microsoft/Phi-3.5-mini-instruct", "text-generation", lic="mit", lang=("multilingual",),
  arxiv=("2404.14219", "2407.13833", "2403.06412"), arch="phi3", created="2024-08", tier=4,
  extra_tags=("conversational",))
M("microsoft/phi-4", "text-generation", lic="mit", lang=EN, arxiv=("2412.08905",), arch="phi3", created="2024-12",
  tier=4, extra_tags=("conversational",))
M("microsoft/Phi-3-mini-4k-instruct-gguf", "text-generation", lib=None, lic="mit", lang=("en", "fr"),
  fmt=("gguf",), created="2024-04", tier=3, extra_tags=("conversational",))

# Llama 2 / 3 (gated with manual approval; Meta's licenses have their own Hub ids)
LLAMA2 = dict(lic="llama2", lang=EN, arxiv=("2307.09288",), arch="llama", gated="manual", created="2023-07")
M("meta-llama/Llama-2-7b-hf", "text-generation", tier=5, **LLAMA2)
M("meta-llama/Llama-2-7b-chat-hf", "text-generation", tier=5, extra_tags=("conversational",), **LLAMA2)
M("meta-llama/Llama-2-13b-hf", "text-generation", tier=3, **LLAMA2)
M("meta-llama/Llama-2-13b-chat-hf", "text-generation", tier=3, extra_tags=("conversational",), **LLAMA2)
M("meta-llama/Llama-2-70b-hf", "text-generation", tier=3, **LLAMA2)
M("meta-llama/CodeLlama-7b-hf", "text-generation", lic="llama2", lang=("code",), arxiv=("2308.12950",), arch="llama",
  gated="manual", created="2024-03", tier=3)
LLAMA3 = dict(lic="llama3", lang=EN, arch="llama", gated="manual", created="2024-04")
M("meta-llama/Meta-Llama-3-8B", "text-generation", tier=5, **LLAMA3)
M("meta-llama/Meta-Llama-3-8B-Instruct", "text-generation", tier=5, extra_tags=("conversational",), **LLAMA3)
M("meta-llama/Meta-Llama-3-70B-Instruct", "text-generation", tier=4, extra_tags=("conversational",), **LLAMA3)
LLAMA31 = dict(lic="llama3.1", lang=LLAMA31_LANGS, arxiv=("2204.05149",), arch="llama", gated="manual",
               created="2024-07")
M("meta-llama/Llama-3.1-8B", "text-generation", tier=5, **LLAMA31)
M("meta-llama/Llama-3.1-8B-Instruct", "text-generation", base="meta-llama/Llama-3.1-8B", rel="finetune", tier=5,
  extra_tags=("conversational",), **LLAMA31)
M("meta-llama/Llama-3.1-70B", "text-generation", tier=3, **LLAMA31)
M("meta-llama/Llama-3.1-70B-Instruct", "text-generation", base="meta-llama/Llama-3.1-70B", rel="finetune", tier=4,
  extra_tags=("conversational",), **LLAMA31)
LLAMA32 = dict(lic="llama3.2", lang=LLAMA31_LANGS, arxiv=("2204.05149", "2405.16406"), arch="llama", gated="manual",
               created="2024-09")
M("meta-llama/Llama-3.2-1B", "text-generation", tier=5, **LLAMA32)
M("meta-llama/Llama-3.2-1B-Instruct", "text-generation", base="meta-llama/Llama-3.2-1B", rel="finetune", tier=5,
  extra_tags=("conversational",), **LLAMA32)
M("meta-llama/Llama-3.2-3B", "text-generation", tier=4, **LLAMA32)
M("meta-llama/Llama-3.2-3B-Instruct", "text-generation", base="meta-llama/Llama-3.2-3B", rel="finetune", tier=5,
  extra_tags=("conversational",), **LLAMA32)
M("meta-llama/Llama-3.2-11B-Vision", "image-text-to-text", lic="llama3.2", lang=LLAMA31_LANGS, arch="mllama",
  gated="manual", created="2024-09", tier=3)
M("meta-llama/Llama-3.2-11B-Vision-Instruct", "image-text-to-text", lic="llama3.2", lang=LLAMA31_LANGS, arch="mllama",
  gated="manual", created="2024-09", base="meta-llama/Llama-3.2-11B-Vision", rel="finetune", tier=4,
  extra_tags=("conversational",))
M("meta-llama/Llama-3.3-70B-Instruct", "text-generation", lic="llama3.3", lang=LLAMA31_LANGS,
  arxiv=("2204.05149",), arch="llama", gated="manual", created="2024-12", base="meta-llama/Llama-3.1-70B",
  rel="finetune", tier=4, extra_tags=("conversational",))

# Mistral
M("mistralai/Mistral-7B-v0.1", "text-generation", lic="apache-2.0", lang=EN, arxiv=("2310.06825",), arch="mistral",
  created="2023-09", tier=5)
M("mistralai/Mistral-7B-Instruct-v0.2", "text-generation", lic="apache-2.0", arxiv=("2310.06825",), arch="mistral",
  created="2023-12", tier=5, extra_tags=("conversational",))
M("mistralai/Mistral-7B-Instruct-v0.3", "text-generation", lic="apache-2.0", arch="mistral", created="2024-05",
  base="mistralai/Mistral-7B-v0.3", rel="finetune", tier=5, extra_tags=("conversational",))
M("mistralai/Mistral-7B-v0.3", "text-generation", lic="apache-2.0", arch="mistral", created="2024-05", tier=3)
M("mistralai/Mixtral-8x7B-v0.1", "text-generation", lic="apache-2.0", lang=("fr", "it", "de", "es", "en"),
  arxiv=("2401.04088",), arch="mixtral", created="2023-12", tier=4)
M("mistralai/Mixtral-8x7B-Instruct-v0.1", "text-generation", lic="apache-2.0", lang=("fr", "it", "de", "es", "en"),
  arch="mixtral", created="2023-12", base="mistralai/Mixtral-8x7B-v0.1", rel="finetune", tier=4,
  extra_tags=("conversational",))
M("mistralai/Mistral-Nemo-Instruct-2407", "text-generation", lic="apache-2.0",
  lang=("en", "fr", "de", "es", "it", "pt", "ru", "zh", "ja"), arch="mistral", created="2024-07",
  base="mistralai/Mistral-Nemo-Base-2407", rel="finetune", tier=4, extra_tags=("conversational",))
M("mistralai/Mistral-Nemo-Base-2407", "text-generation", lic="apache-2.0",
  lang=("en", "fr", "de", "es", "it", "pt", "ru", "zh", "ja"), arch="mistral", created="2024-07", tier=3)

# Qwen
QWEN = dict(arch="qwen2", extra_tags=("conversational",))
M("Qwen/Qwen2-7B-Instruct", "text-generation", lic="apache-2.0", lang=EN, arxiv=("2309.00071",), created="2024-06",
  base="Qwen/Qwen2-7B", rel="finetune", tier=4, **QWEN)
M("Qwen/Qwen2-7B", "text-generation", lic="apache-2.0", lang=EN, created="2024-06", tier=3, arch="qwen2")
M("Qwen/Qwen2.5-0.5B", "text-generation", lic="apache-2.0", lang=EN, arxiv=("2407.10671",), created="2024-09",
  tier=4, arch="qwen2")
M("Qwen/Qwen2.5-0.5B-Instruct", "text-generation", lic="apache-2.0", lang=EN, arxiv=("2407.10671",),
  created="2024-09", base="Qwen/Qwen2.5-0.5B", rel="finetune", tier=5, **QWEN)
M("Qwen/Qwen2.5-1.5B-Instruct", "text-generation", lic="apache-2.0", lang=EN, arxiv=("2407.10671",),
  created="2024-09", base="Qwen/Qwen2.5-1.5B", rel="finetune", tier=5, **QWEN)
M("Qwen/Qwen2.5-3B-Instruct", "text-generation", lic="other", lic_name="qwen-research",
  lic_link="https://huggingface.co/Qwen/Qwen2.5-3B-Instruct/blob/main/LICENSE", lang=EN, arxiv=("2407.10671",),
  created="2024-09", base="Qwen/Qwen2.5-3B", rel="finetune", tier=4, **QWEN)
M("Qwen/Qwen2.5-7B", "text-generation", lic="apache-2.0", lang=EN, arxiv=("2407.10671",), created="2024-09", tier=4,
  arch="qwen2")
M("Qwen/Qwen2.5-7B-Instruct", "text-generation", lic="apache-2.0", lic_link=
  "https://huggingface.co/Qwen/Qwen2.5-7B-Instruct/blob/main/LICENSE", lang=EN, arxiv=("2309.00071", "2407.10671"),
  created="2024-09", base="Qwen/Qwen2.5-7B", rel="finetune", tier=5, **QWEN)
M("Qwen/Qwen2.5-72B-Instruct", "text-generation", lic="other", lic_name="qwen",
  lic_link="https://huggingface.co/Qwen/Qwen2.5-72B-Instruct/blob/main/LICENSE",
  lang=("zh", "en", "fr", "es", "pt", "de", "it", "ru", "ja", "ko", "vi", "th", "ar"),
  arxiv=("2309.00071", "2407.10671"), created="2024-09", base="Qwen/Qwen2.5-72B", rel="finetune", tier=4, **QWEN)
M("Qwen/Qwen2.5-Coder-7B", "text-generation", lic="apache-2.0", lang=EN, arxiv=("2409.12186", "2309.00071",
  "2407.10671"), created="2024-09", base="Qwen/Qwen2.5-7B", rel="finetune", tier=3, arch="qwen2")
M("Qwen/Qwen2.5-Coder-7B-Instruct", "text-generation", lic="apache-2.0", lang=EN, arxiv=("2409.12186", "2309.00071",
  "2407.10671"), created="2024-09", base="Qwen/Qwen2.5-Coder-7B", rel="finetune", tier=4, **QWEN)
M("Qwen/Qwen2.5-Coder-7B-Instruct-GGUF", "text-generation", lib=None, lic="apache-2.0", lang=EN,
  arxiv=("2409.12186",), created="2024-09", base="Qwen/Qwen2.5-Coder-7B-Instruct", rel="quantized", fmt=("gguf",),
  tier=3, extra_tags=("conversational",))
M("Qwen/Qwen2.5-7B-Instruct-GGUF", "text-generation", lib=None, lic="apache-2.0", lang=EN, created="2024-09",
  base="Qwen/Qwen2.5-7B-Instruct", rel="quantized", fmt=("gguf",), tier=3, extra_tags=("conversational",))
M("Qwen/Qwen2.5-7B-Instruct-AWQ", "text-generation", lic="apache-2.0", lang=EN, created="2024-09",
  base="Qwen/Qwen2.5-7B-Instruct", rel="quantized", tier=3, extra_tags=("conversational", "4-bit", "awq"),
  arch="qwen2")
M("Qwen/Qwen3-8B-Base", "text-generation", lic="apache-2.0", arxiv=("2505.09388",), created="2025-04", arch="qwen3",
  tier=3)
M("Qwen/Qwen3-8B", "text-generation", lic="apache-2.0", arxiv=("2505.09388",), created="2025-04", arch="qwen3",
  base="Qwen/Qwen3-8B-Base", rel="finetune", tier=5, extra_tags=("conversational",))

# Gemma (click-through gating), Falcon, OLMo, small models, code models, DeepSeek, Cohere
GEMMA = dict(lic="gemma", arch="gemma", gated="auto")
M("google/gemma-2b", "text-generation", arxiv=("2312.11805", "2009.03300", "1905.07830"), created="2024-02", tier=4,
  **GEMMA)
M("google/gemma-7b", "text-generation", arxiv=("2312.11805",), created="2024-02", tier=3, **GEMMA)
M("google/gemma-2-2b", "text-generation", arxiv=("2009.03300",), created="2024-07", tier=3, lic="gemma", arch="gemma2",
  gated="auto")
M("google/gemma-2-2b-it", "text-generation", created="2024-07", tier=4, lic="gemma", arch="gemma2", gated="auto",
  base="google/gemma-2-2b", rel="finetune", extra_tags=("conversational",))
M("google/gemma-2-9b-it", "text-generation", created="2024-06", tier=4, lic="gemma", arch="gemma2", gated="auto",
  extra_tags=("conversational",))
M("tiiuae/falcon-7b", "text-generation", lic="apache-2.0", lang=EN, ds=("tiiuae/falcon-refinedweb",),
  arxiv=("2205.14135", "1911.02150", "2101.00027", "2005.14165", "2104.09864", "2306.01116"), arch="falcon",
  created="2023-04", tier=4)
M("tiiuae/falcon-7b-instruct", "text-generation", lic="apache-2.0", lang=EN, ds=("tiiuae/falcon-refinedweb",),
  arxiv=("2205.14135", "1911.02150", "2005.14165", "2104.09864", "2306.01116"), arch="falcon", created="2023-04",
  base="tiiuae/falcon-7b", rel="finetune", tier=4, extra_tags=("conversational",))
M("tiiuae/falcon-40b", "text-generation", lic="apache-2.0", lang=("en", "de", "es", "fr"),
  ds=("tiiuae/falcon-refinedweb",), arxiv=("2205.14135", "1911.02150", "2101.00027", "2005.14165", "2104.09864",
  "2306.01116"), arch="falcon", created="2023-05", tier=3)
M("tiiuae/falcon-180B", "text-generation", lic="other", lic_name="falcon-180b-license",
  lic_link="https://huggingface.co/spaces/tiiuae/falcon-180b-license/blob/main/LICENSE.txt",
  lang=("en", "de", "es", "fr"), ds=("tiiuae/falcon-refinedweb",), arxiv=("1911.02150", "2101.00027", "2005.14165",
  "2104.09864", "2306.01116"), arch="falcon", gated="auto", created="2023-09", tier=3)
M("allenai/OLMo-7B", "text-generation", lic="apache-2.0", lang=EN, ds=("allenai/dolma",), arxiv=("2402.00838",),
  arch="olmo", created="2024-01", tier=3)
M("TinyLlama/TinyLlama-1.1B-Chat-v1.0", "text-generation", lic="apache-2.0", lang=EN,
  ds=("cerebras/SlimPajama-627B", "bigcode/starcoderdata", "HuggingFaceH4/ultrachat_200k",
      "HuggingFaceH4/ultrafeedback_binarized"), arch="llama", created="2023-12", tier=5,
  extra_tags=("conversational",))
M("HuggingFaceTB/SmolLM2-1.7B", "text-generation", lic="apache-2.0", lang=EN, arxiv=("2502.02737",), arch="llama",
  created="2024-10", tier=3)
M("HuggingFaceTB/SmolLM2-1.7B-Instruct", "text-generation", lic="apache-2.0", lang=EN, arxiv=("2502.02737",),
  arch="llama", created="2024-10", base="HuggingFaceTB/SmolLM2-1.7B", rel="finetune", tier=4,
  extra_tags=("conversational",))
M("HuggingFaceTB/SmolLM2-360M", "text-generation", lic="apache-2.0", lang=EN, arxiv=("2502.02737",), arch="llama",
  created="2024-10", tier=3)
M("HuggingFaceH4/zephyr-7b-beta", "text-generation", lic="mit", lang=EN,
  ds=("HuggingFaceH4/ultrachat_200k", "HuggingFaceH4/ultrafeedback_binarized"), arxiv=("2305.18290", "2310.16944",
  "2305.14233", "2310.01377"), arch="mistral", created="2023-10", base="mistralai/Mistral-7B-v0.1", rel="finetune",
  tier=4, extra_tags=("conversational",), datasets_as_string=False,
  index=[("text-generation", "ai2_arc", "ARC-Challenge", "test", [("acc_norm", 62.03)]),
         ("text-generation", "hellaswag", None, "validation", [("acc_norm", 84.36)])])
M("teknium/OpenHermes-2.5-Mistral-7B", "text-generation", lic="apache-2.0", lang=EN, arch="mistral",
  created="2023-10", base="mistralai/Mistral-7B-v0.1", rel="finetune", tier=3, extra_tags=("conversational",))
M("NousResearch/Hermes-3-Llama-3.1-8B", "text-generation", lic="llama3", lang=EN, arxiv=("2408.11857",),
  arch="llama", created="2024-08", base="meta-llama/Llama-3.1-8B", rel="finetune", tier=3,
  extra_tags=("conversational",))
M("NousResearch/Hermes-3-Llama-3.1-8B-GGUF", "text-generation", lib=None, lic="llama3", lang=EN,
  arxiv=("2408.11857",), created="2024-08", base="NousResearch/Hermes-3-Llama-3.1-8B", rel="quantized",
  fmt=("gguf",), tier=3, extra_tags=("conversational",))
M("bigcode/starcoder2-3b", "text-generation", lic="bigcode-openrail-m", ds=("bigcode/the-stack-v2-train",),
  arxiv=("2305.13245", "2205.14135", "2004.05150", "2207.14255", "2402.19173"), arch="starcoder2",
  created="2024-02", tier=3, datasets_as_string=True)
M("Salesforce/codegen-350M-mono", "text-generation", lic="bsd-3-clause", arxiv=("2203.13474",), arch="codegen",
  tier=3)
M("deepseek-ai/deepseek-coder-6.7b-instruct", "text-generation", lic="other", lic_name="deepseek",
  lic_link="LICENSE", arch="llama", created="2023-10", tier=3, extra_tags=("conversational",))
M("deepseek-ai/DeepSeek-R1", "text-generation", lic="mit", arxiv=("2501.12948",), arch="deepseek_v3",
  created="2025-01", tier=5, extra_tags=("conversational",))
M("CohereForAI/c4ai-command-r-v01", "text-generation", lic="cc-by-nc-4.0",
  lang=("en", "fr", "de", "es", "it", "pt", "ja", "ko", "zh", "ar"), arch="cohere", gated="auto",
  created="2024-03", tier=3, extra_tags=("conversational",))
M("uer/gpt2-chinese-cluecorpussmall", "text-generation", lang=("zh",), ds=("CLUECorpusSmall",),
  arxiv=("1909.05658", "2212.06385", "1910.10683"), arch="gpt2", tier=3, body_lang="zh", datasets_as_string=True)

# --- quantizations and adapters of the models above -----------------------------------------------
M("TheBloke/Llama-2-7B-Chat-GGUF", "text-generation", lib=None, lic="llama2", lang=EN, arxiv=("2307.09288",),
  base="meta-llama/Llama-2-7b-chat-hf", rel="quantized", fmt=("gguf",), created="2023-09", tier=4,
  creator="Meta Llama 2")
M("TheBloke/Llama-2-7B-Chat-GPTQ", "text-generation", lic="llama2", lang=EN, arxiv=("2307.09288",),
  base="meta-llama/Llama-2-7b-chat-hf", rel="quantized", arch="llama", created="2023-07", tier=3,
  creator="Meta Llama 2", extra_tags=("4-bit", "gptq"))
M("TheBloke/Llama-2-13B-chat-GPTQ", "text-generation", lic="llama2", lang=EN, arxiv=("2307.09288",),
  base="meta-llama/Llama-2-13b-chat-hf", rel="quantized", arch="llama", created="2023-07", tier=3,
  creator="Meta Llama 2", extra_tags=("4-bit", "gptq"))
M("TheBloke/Mistral-7B-Instruct-v0.2-GGUF", "text-generation", lib=None, lic="apache-2.0",
  base="mistralai/Mistral-7B-Instruct-v0.2", rel="quantized", fmt=("gguf",), created="2023-12", tier=4,
  creator="Mistral AI_")
M("TheBloke/Mistral-7B-Instruct-v0.2-AWQ", "text-generation", lic="apache-2.0",
  base="mistralai/Mistral-7B-Instruct-v0.2", rel="quantized", arch="mistral", created="2023-12", tier=3,
  creator="Mistral AI_", extra_tags=("4-bit", "awq"))
M("TheBloke/zephyr-7B-beta-GGUF", "text-generation", lib=None, lic="mit", lang=EN,
  ds=("HuggingFaceH4/ultrachat_200k", "HuggingFaceH4/ultrafeedback_binarized"), arxiv=("2305.18290", "2310.16944"),
  base="HuggingFaceH4/zephyr-7b-beta", rel="quantized", fmt=("gguf",), created="2023-10", tier=3,
  creator="Hugging Face H4")
M("TheBloke/OpenHermes-2.5-Mistral-7B-GGUF", "text-generation", lib=None, lic="apache-2.0", lang=EN,
  base="teknium/OpenHermes-2.5-Mistral-7B", rel="quantized", fmt=("gguf",), created="2023-11", tier=3,
  creator="Teknium")
M("TheBloke/TinyLlama-1.1B-Chat-v1.0-GGUF", "text-generation", lib=None, lic="apache-2.0", lang=EN,
  base="TinyLlama/TinyLlama-1.1B-Chat-v1.0", rel="quantized", fmt=("gguf",), created="2023-12", tier=3,
  creator="TinyLlama")
M("bartowski/Meta-Llama-3.1-8B-Instruct-GGUF", "text-generation", lib=None, lic="llama3.1", lang=LLAMA31_LANGS,
  base="meta-llama/Llama-3.1-8B-Instruct", rel="quantized", fmt=("gguf",), created="2024-07", tier=4)
M("bartowski/Llama-3.2-3B-Instruct-GGUF", "text-generation", lib=None, lic="llama3.2", lang=LLAMA31_LANGS,
  base="meta-llama/Llama-3.2-3B-Instruct", rel="quantized", fmt=("gguf",), created="2024-09", tier=4)
M("lmstudio-community/Meta-Llama-3-8B-Instruct-GGUF", "text-generation", lib=None, lic="llama3", lang=EN,
  base="meta-llama/Meta-Llama-3-8B-Instruct", rel="quantized", fmt=("gguf",), created="2024-04", tier=3)
M("unsloth/Llama-3.2-1B-Instruct-GGUF", "text-generation", lib=None, lic="llama3.2", lang=EN,
  base="meta-llama/Llama-3.2-1B-Instruct", rel="quantized", fmt=("gguf",), created="2024-09", tier=3)
M("unsloth/llama-3-8b-bnb-4bit", "text-generation", lic="llama3", lang=EN, base="meta-llama/Meta-Llama-3-8B",
  rel="quantized", arch="llama", created="2024-04", tier=3, extra_tags=("unsloth", "4-bit", "bitsandbytes"))
M("hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4", "text-generation", lic="llama3.1", lang=LLAMA31_LANGS,
  base="meta-llama/Llama-3.1-8B-Instruct", rel="quantized", arch="llama", created="2024-07", tier=3,
  extra_tags=("4-bit", "awq"))
PEFT = dict(lib="peft", fmt=("safetensors",), rel="adapter")
M("timdettmers/guanaco-7b", None, lang=EN, ds=("timdettmers/openassistant-guanaco",), arxiv=("2305.14314",),
  base="huggyllama/llama-7b", created="2023-05", tier=3, **PEFT)
M("tloen/alpaca-lora-7b", None, lic="mit", ds=("yahma/alpaca-cleaned",), arxiv=("2106.09685",),
  base="decapoda-research/llama-7b-hf", created="2023-03", tier=3, **PEFT)
M("ybelkada/opt-350m-lora", None, base="facebook/opt-350m", created="2023-02", **PEFT)
M("huggyllama/llama-7b", "text-generation", lic="other", arch="llama", created="2023-04", tier=3)

# --- diffusion ----------------------------------------------------------------------------------
DIFF = dict(lib="diffusers", fmt=("safetensors",))
M("stable-diffusion-v1-5/stable-diffusion-v1-5", "text-to-image", lic="creativeml-openrail-m",
  arxiv=("2207.12598", "2112.10752", "2103.00020", "2205.11487", "1910.09700"), created="2024-08", tier=5,
  pipeline_class="StableDiffusionPipeline", **DIFF)
M("CompVis/stable-diffusion-v1-4", "text-to-image", lic="creativeml-openrail-m",
  arxiv=("2207.12598", "2112.10752", "2103.00020", "2205.11487", "1910.09700"), created="2022-08", tier=4,
  pipeline_class="StableDiffusionPipeline", **DIFF)
M("stabilityai/stable-diffusion-2-1", "text-to-image", lic="openrail++", arxiv=("2112.10752", "2202.00512",
  "1910.09700"), created="2022-12", tier=4, pipeline_class="StableDiffusionPipeline", **DIFF)
M("stabilityai/stable-diffusion-xl-base-1.0", "text-to-image", lic="openrail++",
  arxiv=("2307.01952", "2211.01324", "2108.01073", "2112.10752"), created="2023-07", tier=5,
  pipeline_class="StableDiffusionXLPipeline", **DIFF)
M("stabilityai/stable-diffusion-xl-refiner-1.0", "image-to-image", lic="openrail++",
  arxiv=("2307.01952", "2211.01324", "2108.01073", "2112.10752"), created="2023-07", tier=4,
  pipeline_class="StableDiffusionXLImg2ImgPipeline", **DIFF)
M("stabilityai/sdxl-turbo", "text-to-image", lic="other", lic_name="sai-nc-community",
  lic_link="https://huggingface.co/stabilityai/sdxl-turbo/blob/main/LICENSE.md", created="2023-11", tier=4,
  pipeline_class="StableDiffusionXLPipeline", **DIFF)
M("stabilityai/stable-diffusion-3.5-large", "text-to-image", lic="other", lic_name="stabilityai-ai-community",
  lic_link="LICENSE.md", lang=EN, arxiv=("2403.03206",), gated="auto", created="2024-10", tier=4,
  pipeline_class="StableDiffusion3Pipeline", **DIFF)
M("black-forest-labs/FLUX.1-dev", "text-to-image", lic="other", lic_name="flux-1-dev-non-commercial-license",
  lic_link="LICENSE.md", lang=EN, gated="auto", created="2024-07", tier=5, pipeline_class="FluxPipeline", **DIFF)
M("black-forest-labs/FLUX.1-schnell", "text-to-image", lic="apache-2.0", lang=EN, created="2024-07", tier=5,
  pipeline_class="FluxPipeline", **DIFF)
M("stabilityai/sd-vae-ft-mse", None, lic="mit", created="2022-10", tier=3, **DIFF)
M("madebyollin/sdxl-vae-fp16-fix", None, lic="mit", created="2023-07", tier=3, **DIFF)
M("latent-consistency/lcm-lora-sdxl", "text-to-image", lic="openrail++", arxiv=("2311.05556",),
  base="stabilityai/stable-diffusion-xl-base-1.0", rel="adapter", created="2023-11", tier=3, extra_tags=("lora",),
  **DIFF)
M("latent-consistency/lcm-lora-sdv1-5", "text-to-image", lic="openrail++", arxiv=("2311.05556",),
  base="stable-diffusion-v1-5/stable-diffusion-v1-5", rel="adapter", created="2023-11", tier=3, extra_tags=("lora",),
  **DIFF)
M("nerijs/pixel-art-xl", "text-to-image", lic="creativeml-openrail-m", base="stabilityai/stable-diffusion-xl-base-1.0",
  rel="adapter", created="2023-08", tier=3, extra_tags=("lora",), **DIFF)
M("ByteDance/SDXL-Lightning", "text-to-image", lic="openrail++", arxiv=("2402.13929",),
  base="stabilityai/stable-diffusion-xl-base-1.0", rel="finetune", created="2024-02", tier=4, **DIFF)
M("lllyasviel/sd-controlnet-canny", None, lic="openrail", arxiv=("2302.05543",),
  base="runwayml/stable-diffusion-v1-5", rel="adapter", created="2023-02", tier=3, extra_tags=("controlnet",), **DIFF)
M("lllyasviel/control_v11p_sd15_canny", None, lic="openrail", arxiv=("2302.05543",),
  base="runwayml/stable-diffusion-v1-5", rel="adapter", created="2023-04", tier=3, extra_tags=("controlnet",), **DIFF)
M("diffusers/controlnet-canny-sdxl-1.0", "text-to-image", lic="openrail++",
  base="stabilityai/stable-diffusion-xl-base-1.0", rel="adapter", created="2023-08", tier=3,
  extra_tags=("controlnet",), **DIFF)
M("h94/IP-Adapter", "text-to-image", lic="apache-2.0", lang=EN, arxiv=("2308.06721",), created="2023-08", tier=3,
  extra_tags=("ip-adapter",), **DIFF)
M("stabilityai/stable-video-diffusion-img2vid-xt", "image-to-video", lic="other", created="2023-11", tier=4,
  pipeline_class="StableVideoDiffusionPipeline", **DIFF)
M("playgroundai/playground-v2.5-1024px-aesthetic", "text-to-image", lic="other",
  lic_name="playground-v2dot5-community", lic_link=
  "https://huggingface.co/playgroundai/playground-v2.5-1024px-aesthetic/blob/main/LICENSE.md",
  arxiv=("2402.17245",), created="2024-02", tier=3, pipeline_class="StableDiffusionXLPipeline", **DIFF)
M("kandinsky-community/kandinsky-2-2-decoder", "text-to-image", lic="apache-2.0", created="2023-06",
  pipeline_class="KandinskyV22Pipeline", **DIFF)
M("PixArt-alpha/PixArt-XL-2-1024-MS", "text-to-image", lic="openrail++", arxiv=("2310.00426", "2112.10752"),
  created="2023-11", pipeline_class="PixArtAlphaPipeline", **DIFF)
M("prompthero/openjourney", "text-to-image", lic="creativeml-openrail-m", lang=EN, created="2022-11", tier=3,
  pipeline_class="StableDiffusionPipeline", **DIFF)
M("Lykon/dreamshaper-8", "text-to-image", lic="creativeml-openrail-m", lang=EN, created="2023-08", tier=3,
  pipeline_class="StableDiffusionPipeline", malformed="tab", **DIFF)

# --- vision ----------------------------------------------------------------------------------
M("google/vit-base-patch16-224", "image-classification", lic="apache-2.0", ds=("imagenet-1k", "imagenet-21k"),
  arxiv=("2010.11929", "2006.03677"), arch="vit", tier=5,
  index=[("image-classification", "imagenet-1k", None, "validation", [("accuracy", 0.8138)])])
M("google/vit-base-patch16-224-in21k", "image-feature-extraction", lic="apache-2.0", ds=("imagenet-21k",),
  arxiv=("2010.11929", "2006.03677"), arch="vit", tier=4)
M("facebook/detr-resnet-50", "object-detection", lic="apache-2.0", ds=("coco",), arxiv=("2005.12872",), arch="detr",
  tier=5)
M("facebook/detr-resnet-101", "object-detection", lic="apache-2.0", ds=("coco",), arxiv=("2005.12872",),
  arch="detr", tier=3)
M("facebook/dinov2-small", "image-feature-extraction", lic="apache-2.0", arxiv=("2304.07193",), arch="dinov2",
  created="2023-07", tier=4)
M("facebook/dinov2-base", "image-feature-extraction", lic="apache-2.0", arxiv=("2304.07193",), arch="dinov2",
  created="2023-07", tier=4)
M("microsoft/resnet-50", "image-classification", lic="apache-2.0", ds=("imagenet-1k",), arxiv=("1512.03385",),
  arch="resnet", tier=5)
M("microsoft/swin-tiny-patch4-window7-224", "image-classification", lic="apache-2.0", ds=("imagenet-1k",),
  arxiv=("2103.14030",), arch="swin", tier=3)
M("facebook/convnext-tiny-224", "image-classification", lic="apache-2.0", ds=("imagenet-1k",), arxiv=("2201.03545",),
  arch="convnext", tier=3)
M("openai/clip-vit-base-patch32", "zero-shot-image-classification", arxiv=("2103.00020", "1908.04913"), arch="clip",
  tier=5)
M("openai/clip-vit-large-patch14", "zero-shot-image-classification", arxiv=("2103.00020", "1908.04913"), arch="clip",
  tier=5)
M("google/siglip-so400m-patch14-384", "zero-shot-image-classification", lic="apache-2.0", ds=("webli",),
  arxiv=("2303.15343", "2305.13035", "2209.06794"), arch="siglip", created="2024-01", tier=4)
M("Salesforce/blip-image-captioning-base", "image-to-text", lic="bsd-3-clause", arxiv=("2201.12086",), arch="blip",
  created="2022-12", tier=4)
M("Salesforce/blip-image-captioning-large", "image-to-text", lic="bsd-3-clause", arxiv=("2201.12086",), arch="blip",
  created="2022-12", tier=4)
M("nvidia/segformer-b0-finetuned-ade-512-512", "image-segmentation", lic="other", ds=("scene_parse_150",),
  arxiv=("2105.15203",), arch="segformer", tier=3)
M("facebook/sam-vit-base", "mask-generation", lic="apache-2.0", arxiv=("2304.02643",), arch="sam", created="2023-04",
  tier=4)
M("facebook/sam-vit-huge", "mask-generation", lic="apache-2.0", arxiv=("2304.02643",), arch="sam", created="2023-04",
  tier=3)
M("microsoft/trocr-base-handwritten", "image-to-text", arxiv=("2109.10282",), arch="vision-encoder-decoder", tier=3)
M("Intel/dpt-large", "depth-estimation", lic="apache-2.0", arxiv=("2103.13413",), arch="dpt", tier=3,
  index=[("monocular-depth-estimation", "MIX 6", None, None, [("Zero-shot transfer", 10.82)])])
M("LiheYoung/depth-anything-small-hf", "depth-estimation", lic="apache-2.0", arxiv=("2401.10891",),
  arch="depth_anything", created="2024-01", tier=3)
M("microsoft/table-transformer-detection", "object-detection", lic="mit", arxiv=("2110.00061",),
  arch="table-transformer", tier=3)
M("hustvl/yolos-tiny", "object-detection", lic="apache-2.0", ds=("coco",), arxiv=("2106.00666",), arch="yolos",
  tier=3)
M("PekingU/rtdetr_r50vd", "object-detection", lic="apache-2.0", lang=EN, ds=("coco",), arxiv=("2304.08069",),
  arch="rt_detr", created="2024-06")
TIMM = dict(lib="timm", task="image-classification", lic="apache-2.0")
M("timm/resnet50.a1_in1k", ds=("imagenet-1k",), arxiv=("2110.00476", "1512.03385"), tier=4, **TIMM)
M("timm/resnet18.a1_in1k", ds=("imagenet-1k",), arxiv=("2110.00476", "1512.03385"), tier=3, **TIMM)
M("timm/vit_base_patch16_224.augreg2_in21k_ft_in1k", ds=("imagenet-1k", "imagenet-21k"),
  arxiv=("2106.10270", "2010.11929"), tier=4, **TIMM)
M("timm/convnext_tiny.fb_in22k", ds=("imagenet-22k",), arxiv=("2201.03545",), tier=3, **TIMM)
M("timm/efficientnet_b0.ra_in1k", ds=("imagenet-1k",), arxiv=("2110.00476", "1905.11946"), tier=3, **TIMM)
M("timm/mobilenetv3_large_100.ra_in1k", ds=("imagenet-1k",), arxiv=("2110.00476", "1905.02244"), tier=4, **TIMM)
M("timm/vit_small_patch14_dinov2.lvd142m", ds=("lvd-142m",), arxiv=("2304.07193", "2010.11929"), tier=3,
  **{**TIMM, "task": "image-feature-extraction"})
M("timm/convnext_base.fb_in22k_ft_in1k", ds=("imagenet-1k", "imagenet-22k"), arxiv=("2201.03545",), **TIMM)

# --- audio -----------------------------------------------------------------------------------
WHISPER = dict(lic="apache-2.0", lang=WHISPER_LANGS, arxiv=("2212.04356",), arch="whisper")
M("openai/whisper-tiny", "automatic-speech-recognition", tier=4,
  index=[("automatic-speech-recognition", "librispeech_asr", "clean", "test", [("wer", 7.54)])], **WHISPER)
M("openai/whisper-base", "automatic-speech-recognition", tier=4,
  index=[("automatic-speech-recognition", "librispeech_asr", "clean", "test", [("wer", 5.01)])], **WHISPER)
M("openai/whisper-small", "automatic-speech-recognition", tier=4,
  index=[("automatic-speech-recognition", "librispeech_asr", "clean", "test", [("wer", 3.43)])], **WHISPER)
M("openai/whisper-medium", "automatic-speech-recognition", tier=3, **WHISPER)
M("openai/whisper-large-v3", "automatic-speech-recognition", created="2023-11", tier=5, **WHISPER)
M("openai/whisper-large-v3-turbo", "automatic-speech-recognition", created="2024-10",
  base="openai/whisper-large-v3", rel="finetune", tier=5, **WHISPER)
M("distil-whisper/distil-large-v3", "automatic-speech-recognition", lic="mit", lang=EN, arxiv=("2311.00430",
  "2210.13352"), arch="whisper", created="2024-03", tier=3)
M("facebook/wav2vec2-base-960h", "automatic-speech-recognition", lic="apache-2.0", lang=EN, ds=("librispeech_asr",),
  arxiv=("2006.11477",), arch="wav2vec2", tier=4,
  index=[("automatic-speech-recognition", "librispeech_asr", "clean", "test", [("wer", 3.4)]),
         ("automatic-speech-recognition", "librispeech_asr", "other", "test", [("wer", 8.6)])])
M("facebook/wav2vec2-large-960h-lv60-self", "automatic-speech-recognition", lic="apache-2.0", lang=EN,
  ds=("librispeech_asr",), arxiv=("2010.11430", "2006.11477"), arch="wav2vec2", tier=3,
  index=[("automatic-speech-recognition", "librispeech_asr", "clean", "test", [("wer", 1.9)]),
         ("automatic-speech-recognition", "librispeech_asr", "other", "test", [("wer", 3.9)])])
M("jonatasgrosman/wav2vec2-large-xlsr-53-english", "automatic-speech-recognition", lic="apache-2.0", lang=EN,
  ds=("common_voice", "mozilla-foundation/common_voice_6_0"), arch="wav2vec2", tier=4,
  base="facebook/wav2vec2-large-xlsr-53", rel="finetune")
M("facebook/mms-1b-all", "automatic-speech-recognition", lic="cc-by-nc-4.0",
  lang=("ab", "af", "ak", "am", "ar", "as", "av", "ay", "az", "ba", "bm", "be", "bn", "bi", "bo", "sh", "br"),
  ds=("google/fleurs",), arxiv=("2305.13516",), arch="wav2vec2", created="2023-05", tier=3)
M("facebook/hubert-large-ls960-ft", "automatic-speech-recognition", lic="apache-2.0", lang=EN,
  ds=("libri-light", "librispeech_asr"), arxiv=("2106.07447",), arch="hubert", tier=3)
M("microsoft/speecht5_tts", "text-to-speech", lic="mit", ds=("libritts",), arxiv=("2110.07205", "1910.09700"),
  arch="speecht5", created="2023-02", tier=3)
M("facebook/musicgen-small", "text-to-audio", lic="cc-by-nc-4.0", arxiv=("2306.05284",), arch="musicgen",
  created="2023-06", tier=3)
M("suno/bark", "text-to-speech", lic="mit", lang=("en", "de", "es", "fr", "hi", "it", "ja", "ko", "pl", "pt", "ru",
  "tr", "zh"), arch="bark", created="2023-04", tier=3)
M("MIT/ast-finetuned-audioset-10-10-0.4593", "audio-classification", lic="bsd-3-clause", arxiv=("2104.01778",),
  arch="audio-spectrogram-transformer", tier=4)
M("pyannote/speaker-diarization-3.1", "automatic-speech-recognition", lib="pyannote-audio", lic="mit",
  arxiv=("2111.14448", "2012.01477"), gated="auto", fmt=(), created="2023-11", tier=5)
M("pyannote/segmentation-3.0", "voice-activity-detection", lib="pyannote-audio", lic="mit", gated="auto", fmt=(),
  created="2023-09", tier=4)
M("coqui/XTTS-v2", "text-to-speech", lib="coqui", lic="other", lic_name="coqui-public-model-license",
  lic_link="https://coqui.ai/cpml", fmt=(), created="2023-10", tier=4, malformed="unclosed")

# --- multimodal ---------------------------------------------------------------------------------
M("llava-hf/llava-1.5-7b-hf", "image-text-to-text", lic="llama2", lang=EN, ds=("liuhaotian/LLaVA-Instruct-150K",),
  arxiv=("2304.08485",), arch="llava", created="2023-12", tier=4, extra_tags=("conversational",))
M("Qwen/Qwen2-VL-7B", "image-text-to-text", lic="apache-2.0", lang=EN, arxiv=("2409.12191", "2308.12966"),
  arch="qwen2_vl", created="2024-08", tier=3)
M("Qwen/Qwen2-VL-7B-Instruct", "image-text-to-text", lic="apache-2.0", lang=EN, arxiv=("2409.12191", "2308.12966"),
  arch="qwen2_vl", created="2024-08", base="Qwen/Qwen2-VL-7B", rel="finetune", tier=4,
  extra_tags=("conversational",))
M("microsoft/Florence-2-large", "image-text-to-text", lic="mit", arxiv=("2311.06242",), arch="florence2",
  created="2024-06", tier=4)
M("HuggingFaceM4/idefics2-8b", "image-text-to-text", lic="apache-2.0", lang=EN,
  ds=("HuggingFaceM4/OBELICS", "laion/laion-coco", "wikipedia", "facebook/pmd", "pixparse/idl-wds",
      "pixparse/pdfa-eng-wds", "wendlerc/RenderedText", "HuggingFaceM4/the_cauldron"),
  arxiv=("2405.02246",), arch="idefics2", created="2024-04", tier=3)
M("vikhyatk/moondream2", "image-text-to-text", lic="apache-2.0", arch="moondream1", created="2024-03", tier=4)
M("microsoft/kosmos-2-patch14-224", "image-text-to-text", lic="mit", arxiv=("2306.14824",), arch="kosmos-2",
  created="2023-10")
M("google/paligemma-3b-pt-224", "image-text-to-text", lic="gemma", arxiv=("2407.07726", "2310.09199", "2303.15343"),
  arch="paligemma", gated="auto", created="2024-05", tier=3)

# --- other libraries -----------------------------------------------------------------------------
M("spacy/en_core_web_sm", "token-classification", lib="spacy", lic="mit", lang=EN, fmt=(), tier=4,
  index=[("token-classification", None, None, None, [("precision", 0.8454), ("recall", 0.8456)])])
M("spacy/de_core_news_sm", "token-classification", lib="spacy", lic="mit", lang=("de",), fmt=(), body_lang="de")
M("sb3/ppo-CartPole-v1", "reinforcement-learning", lib="stable-baselines3", fmt=(), tier=2,
  index=[("reinforcement-learning", "CartPole-v1", None, None, [("mean_reward", 500.0)])], extra_tags=("CartPole-v1",))
M("sb3/dqn-MountainCar-v0", "reinforcement-learning", lib="stable-baselines3", fmt=(),
  extra_tags=("MountainCar-v0",))
M("keras-io/ocr-for-captcha", "image-to-text", lib="keras", fmt=(), no_yaml=True)

# --- repositories without a model card ----------------------------------------------------------
M("hf-internal-testing/tiny-random-bert", None, arch="bert", no_readme=True, tier=3)
M("hf-internal-testing/tiny-random-gpt2", "text-generation", arch="gpt2", no_readme=True, tier=3)
M("hf-internal-testing/tiny-random-t5", None, arch="t5", no_readme=True)
